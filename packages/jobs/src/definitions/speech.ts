// Jobs of the speech area. Declare each with defineJob<Payload, Result>()({...}).
export const speechJobs = {};
