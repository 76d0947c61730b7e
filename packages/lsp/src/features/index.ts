// Every editor feature the server offers, registered in this order.
import type { Feature } from './feature.js';
import { diagnosticsFeature } from './diagnostics.js';

export const features: Feature[] = [diagnosticsFeature];
