/// A kubeconfig user's `exec` credential plugin (`aws eks get-token`, `gke-gcloud-auth-plugin`,
/// `kubelogin`): the command, its arguments and environment, and the ExecCredential version it
/// speaks.
public struct ExecCredentialConfig: Sendable, Hashable, Decodable {
    /// The command: a name looked up on `PATH`, or a path.
    public var command: String
    /// Its arguments.
    public var args: [String]
    /// Extra environment variables.
    public var env: [EnvVar]
    /// `client.authentication.k8s.io/v1` or `/v1beta1`.
    public var apiVersion: String

    /// One `env` entry.
    public struct EnvVar: Sendable, Hashable, Decodable {
        /// The variable's name.
        public var name: String
        /// Its value.
        public var value: String
    }

    /// A plugin running `command` with `args`.
    public init(command: String, args: [String] = [], env: [EnvVar] = [], apiVersion: String = "client.authentication.k8s.io/v1") {
        self.command = command
        self.args = args
        self.env = env
        self.apiVersion = apiVersion
    }

    enum CodingKeys: String, CodingKey { case command, args, env, apiVersion }

    /// Decodes; `args` and `env` may be absent or null.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        command = try container.decode(String.self, forKey: .command)
        args = try container.decodeIfPresent([String].self, forKey: .args) ?? []
        env = try container.decodeIfPresent([EnvVar].self, forKey: .env) ?? []
        apiVersion = try container.decodeIfPresent(String.self, forKey: .apiVersion) ?? "client.authentication.k8s.io/v1"
    }
}
