// The powermand launcher lives with the simulated devices, since the demo runs one too.
export { startPowermand, type Powermand, type PowermandOptions } from '../../sim/powermand';
