/** The version of this @rampart/core, checked against each module's minimum core version (kept equal to package.json by a test). */
export const CORE_VERSION = '0.1.0';
