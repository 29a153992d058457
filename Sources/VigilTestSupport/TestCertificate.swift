import Crypto
import Foundation
public import NIOSSL
import SwiftASN1
import X509

/// A self-signed CA certificate and its key, in PEM, for TLS servers in tests: valid for an hour
/// either side of now, for the DNS name `localhost` and the address 127.0.0.1.
public struct TestCertificate: Sendable {
    /// The certificate, PEM.
    public let certificatePEM: String
    /// Its P-256 private key, PEM.
    public let keyPEM: String

    /// A fresh certificate and key.
    public static func selfSigned() throws -> TestCertificate {
        let key = P256.Signing.PrivateKey()
        let name = try DistinguishedName { CommonName("vigil-test") }
        let now = Date()
        let certificate = try Certificate(
            version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: .init(key.publicKey),
            notValidBefore: now - 3600, notValidAfter: now + 3600, issuer: name, subject: name,
            signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.isCertificateAuthority(maxPathLength: nil))
                SubjectAlternativeNames([.dnsName("localhost"), .ipAddress(ASN1OctetString(contentBytes: [127, 0, 0, 1]))])
            },
            issuerPrivateKey: .init(key))
        return TestCertificate(certificatePEM: try certificate.serializeAsPEM().pemString, keyPEM: key.pemRepresentation)
    }

    /// A TLS server configuration presenting this certificate.
    public func serverConfiguration() throws -> TLSConfiguration {
        TLSConfiguration.makeServerConfiguration(
            certificateChain: try NIOSSLCertificate.fromPEMBytes(Array(certificatePEM.utf8)).map { .certificate($0) },
            privateKey: .privateKey(try NIOSSLPrivateKey(bytes: Array(keyPEM.utf8), format: .pem)))
    }
}
