import Foundation
import KilnConfiguration
import KilnCore
import Testing

/// `raw_config_urls`, `pungi_command`, `pungi_timeout` and `git_timeout`.
@Suite struct RawConfigConfigurationTests {
    func load(_ json: String) throws -> KilnConfiguration {
        let path = NSTemporaryDirectory() + "kiln-raw-config-\(UUID().uuidString).json"
        try json.write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        return try KilnConfiguration.load(path: path, environment: [:])
    }

    @Test func entriesAndThePungiCommandAreRead() throws {
        let c = try load(
            """
            {"pungi_command": ["/usr/bin/pungi-koji", "--debug"], "pungi_timeout": 7200, "git_timeout": 60,
             "raw_config_urls": {"f40": {"url": "https://git/pungi.git", "config_filename": "f40.conf",
                                         "path": "configs", "pungi_timeout": 900, "seconds_to_live": 600,
                                         "max_seconds_to_live": 1200}}}
            """)
        #expect(c.service.pungiCommand == ["/usr/bin/pungi-koji", "--debug"])
        #expect(c.service.pungiTimeout == 7200)
        #expect(c.service.gitTimeout == 60)
        #expect(
            c.service.rawConfigURLs["f40"]
                == .init(
                    url: "https://git/pungi.git", configFilename: "f40.conf", path: "configs", pungiTimeout: 900,
                    secondsToLive: 600, maxSecondsToLive: 1200))
        let defaults = try load("{}")
        #expect(defaults.service.pungiCommand.isEmpty && defaults.service.pungiTimeout == 3600)
    }

    @Test(arguments: [
        (
            #"{"pungi_command": ["pungi-koji"]}"#,
            "configuration key pungi_command: must be a list of strings starting with an absolute program path"
        ),
        (
            #"{"pungi_command": []}"#,
            "configuration key pungi_command: must be a list of strings starting with an absolute program path"
        ),
        (#"{"pungi_timeout": 0}"#, "configuration key pungi_timeout: must be 1 to 604800 seconds"),
        (
            #"{"raw_config_urls": {"a": {"url": "u", "config_filename": "c", "post_script": "x"}}}"#,
            "configuration key raw_config_urls.a.post_script: is not supported by Kiln"
        ),
        (
            #"{"raw_config_urls": {"a": {"url": "u", "config_filename": "../c"}}}"#,
            "configuration key raw_config_urls.a: \"../c\" must be a relative path inside the repository"
        ),
        (
            #"{"raw_config_urls": {"a b": {"url": "u", "config_filename": "c"}}}"#,
            "configuration key raw_config_urls.a b: a name must be letters, digits, '.', '_' and '-'"
        ),
        (
            #"{"raw_config_urls": {"a": {"url": "u", "config_filename": "c", "seconds_to_live": -1}}}"#,
            "configuration key raw_config_urls.a.seconds_to_live: must be 1 to 3155760000 seconds"
        ),
    ])
    func badValuesNameTheKey(json: String, message: String) {
        #expect(performing: { _ = try load(json) }, throws: { "\($0)" == message })
    }
}
