/** Version of this package's local engines; stored with every result they produce. Bump when outputs change. */
export const CONTENT_GEN_VERSION = '0.1.0';
