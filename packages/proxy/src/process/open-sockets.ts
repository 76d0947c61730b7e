// The sockets the process holds open: HAProxy's `ha_used_fds`. Its idle-connection rules
// (upstream/idle-rules.ts) stop keeping server connections when descriptors run high, so the
// count is the process's, whatever the generation: client connections being served (the
// maxconn gate reports them) and server connections, from connect to close.

let clients = 0;
let servers = 0;

export const openSockets = {
  clientOpened(): void {
    clients++;
  },
  clientClosed(): void {
    clients--;
  },
  serverOpened(): void {
    servers++;
  },
  serverClosed(): void {
    servers--;
  },
  get count(): number {
    return clients + servers;
  },
};
