/*
 * Names of the recommender area that are persisted or shared between the API and the worker.
 * Model versions of this area are rows with (area, name) = (AREA, MODEL_NAME).
 */

export const AREA = 'recommender';
export const MODEL_NAME = 'recommender';

/** The BullMQ job scheduler that produces a newsroom's scheduled `recommender.train` jobs. */
export const retrainSchedulerId = (newsroomId: string) => `recommender-retrain:${newsroomId}`;

/** Half-life of interaction weights for a newsroom that has not set one, in days. */
export const DEFAULT_HALF_LIFE_DAYS = 14;
