// Jobs of the translate area. Declare each with defineJob<Payload, Result>()({...}).
export const translateJobs = {};
