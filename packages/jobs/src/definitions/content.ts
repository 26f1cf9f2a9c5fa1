// Jobs of the content area. Declare each with defineJob<Payload, Result>()({...}).
export const contentJobs = {};
