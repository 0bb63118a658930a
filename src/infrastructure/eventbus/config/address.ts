// A DNS name, an IPv4 address or a bracketed IPv6 address (`[::1]`).
const HOST = String.raw`(?:\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)`;
const BROKER = new RegExp(String.raw`^${HOST}:(\d{1,5})$`);
// Optional scheme and credentials (`nats://user:pass@host:4222`), then host:port.
const NATS_URL = new RegExp(String.raw`^(?:(?:nats|tls)://)?(?:[^@/\s]+@)?${HOST}:(\d{1,5})$`);

function validPort(port: string | undefined): boolean {
  const n = Number(port);
  return Number.isInteger(n) && n >= 1 && n <= 65535;
}

/** A Kafka bootstrap address: `host:port`, no scheme. */
export function isBrokerAddress(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  const match = BROKER.exec(value);
  return match !== null && validPort(match[1]);
}

/** A NATS server: `nats://host:port`, `tls://host:port` or `host:port`. */
export function isNatsUrl(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  const match = NATS_URL.exec(value);
  return match !== null && validPort(match[1]);
}
