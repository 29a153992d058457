public import VigilConfig

extension ReceiverConfig {
    /// Fills every integration's unset fields from `global` and checks receiver names are unique,
    /// as Alertmanager's loader does after reading the whole file.
    ///
    /// Call it from the `validate` closure of ``VigilConfig/ConfigDecoder/decode(_:fromYAML:fileName:validate:)``;
    /// errors carry a field path starting at `receivers[i]` (pass `pathPrefix` if the receivers are
    /// not under the document root's `receivers` key), so they are positioned at the offending
    /// receiver. Messages are Alertmanager's (`no global SMTP smarthost set`, ...).
    public static func inheritGlobal(
        _ global: AlertmanagerGlobalConfig, receivers: inout [ReceiverConfig],
        pathPrefix: [ConfigPathComponent] = ["receivers"]
    ) throws(ConfigValidationError) {
        var names: Set<String> = []
        for index in receivers.indices {
            let path = pathPrefix + [.index(index)]
            guard names.insert(receivers[index].name).inserted else {
                throw ConfigValidationError(
                    "notification config name \"\(receivers[index].name)\" is not unique", fieldPath: path + ["name"])
            }
            try receivers[index].inheritGlobal(global, path: path)
        }
    }

    /// Fills this receiver's unset fields from `global`; `path` locates the receiver for errors.
    public mutating func inheritGlobal(
        _ global: AlertmanagerGlobalConfig, path: [ConfigPathComponent] = []
    ) throws(ConfigValidationError) {
        for index in webhookConfigs.indices where webhookConfigs[index].httpConfig == nil {
            webhookConfigs[index].httpConfig = global.httpConfig
        }
        for index in emailConfigs.indices {
            try emailConfigs[index].inheritGlobal(global, path: path + ["email_configs", .index(index)])
        }
        for index in slackConfigs.indices {
            if slackConfigs[index].httpConfig == nil { slackConfigs[index].httpConfig = global.httpConfig }
            if slackConfigs[index].apiURL == nil {
                if let url = global.slackAPIURL {
                    slackConfigs[index].apiURL = .inline(url)
                } else if !global.slackAPIURLFile.isEmpty {
                    slackConfigs[index].apiURL = .file(global.slackAPIURLFile)
                } else {
                    throw ConfigValidationError(
                        "no global Slack API URL set either inline or in a file",
                        fieldPath: path + ["slack_configs", .index(index)])
                }
            }
        }
        for index in pagerdutyConfigs.indices {
            if pagerdutyConfigs[index].httpConfig == nil { pagerdutyConfigs[index].httpConfig = global.httpConfig }
            if pagerdutyConfigs[index].url == nil { pagerdutyConfigs[index].url = global.pagerdutyURL }
        }
        for index in telegramConfigs.indices {
            if telegramConfigs[index].httpConfig == nil { telegramConfigs[index].httpConfig = global.httpConfig }
            if telegramConfigs[index].apiURL == nil { telegramConfigs[index].apiURL = global.telegramAPIURL }
        }
        for index in dingtalkConfigs.indices where dingtalkConfigs[index].httpConfig == nil {
            dingtalkConfigs[index].httpConfig = global.httpConfig
        }
        for index in wecomConfigs.indices where wecomConfigs[index].httpConfig == nil {
            wecomConfigs[index].httpConfig = global.httpConfig
        }
    }
}

extension EmailConfig {
    /// Takes the global `smtp_*` values where this config leaves a field unset.
    mutating func inheritGlobal(_ global: AlertmanagerGlobalConfig, path: [ConfigPathComponent]) throws(ConfigValidationError) {
        if smarthost == nil {
            guard let host = global.smtpSmarthost else {
                throw ConfigValidationError("no global SMTP smarthost set", fieldPath: path)
            }
            smarthost = host
        }
        if from.isEmpty {
            if global.smtpFrom.isEmpty {
                throw ConfigValidationError("no global SMTP from set", fieldPath: path)
            }
            from = global.smtpFrom
        }
        if hello.isEmpty { hello = global.smtpHello }
        if authUsername.isEmpty { authUsername = global.smtpAuthUsername }
        if authPassword == nil {
            if let password = global.smtpAuthPassword, !password.value.isEmpty {
                authPassword = .inline(password)
            } else if !global.smtpAuthPasswordFile.isEmpty {
                authPassword = .file(global.smtpAuthPasswordFile)
            }
        }
        if authSecret == nil { authSecret = global.smtpAuthSecret }
        if authIdentity.isEmpty { authIdentity = global.smtpAuthIdentity }
        if requireTLS == nil { requireTLS = global.smtpRequireTLS }
    }
}
