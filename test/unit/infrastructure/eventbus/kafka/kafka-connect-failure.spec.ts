import { KafkaJSConnectionError, KafkaJSNumberOfRetriesExceeded } from 'kafkajs';
import { type KafkaSecurityConfig } from '../../../../../src/infrastructure/eventbus';
import { describeKafkaConnectFailure } from '../../../../../src/infrastructure/eventbus/kafka/kafka-connect-failure';

// The shapes kafkajs 2.2.4 produced against a real broker (kafka-tls.integration.ts): a socket
// error becomes a KafkaJSConnectionError carrying the Node code, wrapped by the retrier.
const socketError = (code: string, message: string): Error =>
  new KafkaJSNumberOfRetriesExceeded(
    new KafkaJSConnectionError(`Connection error: ${message}`, { broker: 'b:9093', code }),
    { retryCount: 5, retryTime: 100 },
  );
// kafkajs's types do not declare these constructors' arguments; the name is what is matched.
const kafkajsError = (name: string, message: string): Error => Object.assign(new Error(message), { name });
const closed = (): Error => kafkajsError('KafkaJSConnectionClosedError', 'Closed connection');

const SSL: KafkaSecurityConfig = { enabled: true, protocol: 'SSL', caFile: '/ca.pem' };
const SCRAM: KafkaSecurityConfig = {
  enabled: true,
  protocol: 'SASL_SSL',
  mechanism: 'SCRAM-SHA-512',
  username: 'eventbus',
  password: 'x',
};
const PLAINTEXT: KafkaSecurityConfig = { enabled: false, protocol: 'PLAINTEXT' };

describe('describeKafkaConnectFailure', () => {
  it('says who connected over what, and that authentication failed', () => {
    const error = kafkajsError(
      'KafkaJSSASLAuthenticationError',
      'SASL SCRAM SHA512 authentication failed: bad password',
    );
    expect(describeKafkaConnectFailure(error, 'b:9093', SCRAM)).toBe(
      'cannot connect to Kafka at b:9093 as "eventbus" (SCRAM-SHA-512 over SASL_SSL): authentication failed: KafkaJSSASLAuthenticationError: SASL SCRAM SHA512 authentication failed: bad password',
    );
  });

  it('names an untrusted broker certificate and caFile as the fix, through the retry wrapper', () => {
    const error = socketError('SELF_SIGNED_CERT_IN_CHAIN', 'self-signed certificate in certificate chain');
    expect(describeKafkaConnectFailure(error, 'b:9093', SSL)).toBe(
      "cannot connect to Kafka at b:9093 over SSL: TLS handshake failed: the broker's certificate is not trusted (SELF_SIGNED_CERT_IN_CHAIN: self-signed certificate in certificate chain); set eventbus.kafka.security.caFile to the CA that signed it",
    );
  });

  it('keeps the words of an OpenSSL alert, not its noise, when the broker rejects the client certificate', () => {
    const error = socketError(
      'ERR_SSL_SSLV3_ALERT_CERTIFICATE_UNKNOWN',
      '80AC655DEC7F0000:error:0A000416:SSL routines:ssl3_read_bytes:sslv3 alert certificate unknown:../deps/openssl/openssl/ssl/record/rec_layer_s3.c:1601:SSL alert number 46',
    );
    expect(describeKafkaConnectFailure(error, 'b:9093', SSL)).toBe(
      'cannot connect to Kafka at b:9093 over SSL: TLS handshake failed: the broker rejected the client certificate (ERR_SSL_SSLV3_ALERT_CERTIFICATE_UNKNOWN: sslv3 alert certificate unknown); check eventbus.kafka.security.certFile and eventbus.kafka.security.keyFile (the broker must trust the CA that signed them)',
    );
  });

  it.each([
    ['CERT_HAS_EXPIRED', 'expired or not yet valid'],
    ['ERR_TLS_CERT_ALTNAME_INVALID', 'does not name the address connected to'],
    ['ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED', 'requires a client certificate'],
    ['ERR_SSL_WRONG_VERSION_NUMBER', 'TLS handshake failed (ERR_SSL_WRONG_VERSION_NUMBER'],
  ])('describes the TLS failure %s', (code, words) => {
    expect(describeKafkaConnectFailure(socketError(code, 'detail'), 'b:9093', SSL)).toContain(words);
  });

  it('points at the protocol when the listener drops a client that speaks another one', () => {
    expect(describeKafkaConnectFailure(closed(), 'b:9093', PLAINTEXT)).toBe(
      "cannot connect to Kafka at b:9093 over PLAINTEXT: the broker closed the connection; check that eventbus.kafka.security.protocol (PLAINTEXT) matches the broker's listener (KafkaJSConnectionClosedError: Closed connection)",
    );
  });

  it('passes other failures through as they are', () => {
    const refused = socketError('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:9093');
    expect(describeKafkaConnectFailure(refused, 'b:9093', PLAINTEXT)).toBe(
      'cannot connect to Kafka at b:9093 over PLAINTEXT: KafkaJSNumberOfRetriesExceeded: Connection error: connect ECONNREFUSED 127.0.0.1:9093',
    );
  });
});
