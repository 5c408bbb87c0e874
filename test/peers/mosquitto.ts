// The Mosquitto launcher lives with the simulated devices, since the demo runs one too.
export { startMosquitto, type Mosquitto, type MosquittoOptions } from '../../sim/mosquitto';
