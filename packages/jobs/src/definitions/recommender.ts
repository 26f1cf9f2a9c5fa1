// Jobs of the recommender area. Declare each with defineJob<Payload, Result>()({...}).
export const recommenderJobs = {};
