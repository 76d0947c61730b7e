// Registers every implemented fetch and converter once, on first import.
import { authFetches } from './fetches/auth.js';
import { connectionFetches } from './fetches/connection.js';
import { httpRequestFetches } from './fetches/http-request.js';
import { httpResponseFetches } from './fetches/http-response.js';
import { internalFetches } from './fetches/internal.js';
import { payloadFetches } from './fetches/payload.js';
import { registerFetches } from './fetches/registry.js';
import { arithmeticConverters } from './converters/arithmetic.js';
import { encodingConverters } from './converters/encoding.js';
import { hashConverters } from './converters/hashes.js';
import { jsonQueryConverter } from './converters/json-query.js';
import { mapConverters } from './converters/maps.js';
import { ipmaskConverter } from './converters/network.js';
import { registerConverters } from './converters/registry.js';
import { stringConverters } from './converters/strings.js';
import { timeConverters } from './converters/time.js';
import { variableConverters } from './converters/variables.js';
import { counterFetches } from './fetches/counters.js';
import { tableConverters } from './converters/tables.js';

registerFetches([...connectionFetches, ...httpRequestFetches, ...httpResponseFetches, ...internalFetches]);
registerConverters([
  ...stringConverters, ...encodingConverters, ...hashConverters, ...arithmeticConverters, ...mapConverters,
  ...timeConverters, ...variableConverters, jsonQueryConverter, ipmaskConverter,
]);
registerFetches(counterFetches);
registerFetches(authFetches);
registerFetches(payloadFetches);
registerConverters(tableConverters);
