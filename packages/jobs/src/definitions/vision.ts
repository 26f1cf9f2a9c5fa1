// Jobs of the vision area. Declare each with defineJob<Payload, Result>()({...}).
export const visionJobs = {};
