import { NamedPort, PortProtocol, serviceAppProtocol } from '../pod/container';
import { Json } from './api-object';

/** A Service port for a container's named port: same number, the container port by name. */
export function servicePort(p: NamedPort): Json {
  return {
    name: p.name,
    port: p.port,
    targetPort: p.name,
    protocol: p.protocol ?? PortProtocol.TCP,
    ...(p.appProtocol ? { appProtocol: serviceAppProtocol(p) } : {}),
  };
}
