// The simulator's seeded PRNG (mulberry32), for tests that generate inputs: a failing run replays exactly.
export { seededRandom } from '../../packages/sim/src/stream/context.js';
