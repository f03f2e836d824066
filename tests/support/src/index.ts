export * from './clusterProcesses';
