import Crypto
import Foundation
import SwiftASN1
import X509

/// The listener's serving certificate: the given PEM files, or a self-signed one kept under the
/// data directory and reused while it has more than a day to run (as metrics-server generates
/// one when given none; the APIService then needs `insecureSkipTLSVerify` or that certificate as
/// its `caBundle`).
public enum ServingCertificate {
    /// Why no serving certificate could be had.
    public struct LoadError: Error, CustomStringConvertible {
        /// What went wrong, naming the file.
        public let description: String
    }

    /// The PEM chain and key: read from `certFile`/`keyFile` when given, else the self-signed pair in
    /// `directory` (created when missing or about to expire).
    public static func load(certFile: String?, keyFile: String?, directory: String, hosts: [String]) throws(LoadError) -> (chain: [UInt8], key: [UInt8]) {
        if let certFile, let keyFile {
            return (try read(certFile), try read(keyFile))
        }
        let certPath = directory + "/apiserver.crt"
        let keyPath = directory + "/apiserver.key"
        if let chain = try? read(certPath), let key = try? read(keyPath), isUsable(chain) {
            return (chain, key)
        }
        let (chain, key) = try generate(hosts: hosts)
        do {
            try Data(key).write(to: URL(fileURLWithPath: keyPath), options: .atomic)
            try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: keyPath)
            try Data(chain).write(to: URL(fileURLWithPath: certPath), options: .atomic)
        } catch {
            throw LoadError(description: "writing the self-signed serving certificate to \(directory): \(error)")
        }
        return (chain, key)
    }

    /// A fresh self-signed P-256 certificate for `hosts` (DNS names or IP addresses), valid a year.
    static func generate(hosts: [String]) throws(LoadError) -> (chain: [UInt8], key: [UInt8]) {
        do {
            let key = P256.Signing.PrivateKey()
            let name = try DistinguishedName { CommonName("vigil-kubernetes-metrics-api@\(Int(Date().timeIntervalSince1970))") }
            let now = Date()
            let names: [GeneralName] = hosts.map { host in
                if let address = ipAddressBytes(host) { return .ipAddress(ASN1OctetString(contentBytes: address[...])) }
                return .dnsName(host)
            }
            let certificate = try Certificate(
                version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: .init(key.publicKey),
                notValidBefore: now - 3600, notValidAfter: now + 365 * 86_400, issuer: name, subject: name,
                signatureAlgorithm: .ecdsaWithSHA256,
                extensions: try Certificate.Extensions {
                    Critical(BasicConstraints.isCertificateAuthority(maxPathLength: nil))
                    Critical(KeyUsage(digitalSignature: true, keyCertSign: true))
                    try ExtendedKeyUsage([.serverAuth])
                    SubjectAlternativeNames(names)
                },
                issuerPrivateKey: .init(key))
            return (Array(try certificate.serializeAsPEM().pemString.utf8), Array(key.pemRepresentation.utf8))
        } catch {
            throw LoadError(description: "generating a self-signed serving certificate: \(error)")
        }
    }

    private static func isUsable(_ chain: [UInt8]) -> Bool {
        guard let text = String(bytes: chain, encoding: .utf8), let certificate = try? Certificate(pemEncoded: text) else { return false }
        return certificate.notValidAfter > Date() + 86_400
    }

    private static func read(_ path: String) throws(LoadError) -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw LoadError(description: "reading \(path): no such file or not readable")
        }
        return Array(data)
    }

    /// The bytes of a dotted IPv4 address; nil for anything else (names, and IPv6, kept as DNS names).
    static func ipAddressBytes(_ host: String) -> [UInt8]? {
        let parts = host.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        let bytes = parts.compactMap { UInt8($0) }
        return bytes.count == 4 ? bytes : nil
    }
}
