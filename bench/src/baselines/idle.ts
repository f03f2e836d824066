/**
 * @module
 * An idle process under the same loader as the JobManager (`--import tsx`):
 * its RSS is the part of the JobManager's RSS that running from source adds.
 */
setInterval(() => {}, 60_000);
console.log('idle');
