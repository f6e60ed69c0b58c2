import ArgumentParser
import KilnConfiguration
import KilnCore
import KilnFastCGI
import KilnStore
import Logging

extension Kiln {
    struct DevSeed: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "dev-seed", abstract: "Insert sample composes (local stacks and benchmarks only).")

        @OptionGroup var options: GlobalOptions

        @Option(help: "How many composes to insert.")
        var count: Int = 20

        func run() throws {
            let configuration = try options.load()
            let connection = try PGConnection.connect(configuration.databaseURL)
            defer { connection.close() }
            // One set-based statement: finished states (nothing for the generator to pick up), types and owners cycle
            // so every filter has something to find.
            _ = try connection.withTransaction { c in
                try c.query(
                    """
                    INSERT INTO composes (owner, source_type, source, state, state_reason, results, flags, sigkeys,
                        arches,
                        multilib_arches, multilib_method, lookaside_repos, compose_type, target_dir, koji_event,
                        time_submitted, time_to_expire, time_started, time_done)
                    SELECT (ARRAY['alice', 'bob', 'carol', 'dave'])[1 + i % 4],
                        (ARRAY[1, 2, 6, 3])[1 + i % 4],
                        (ARRAY['f40-build', 'testmodule:master', '', '/srv/repos/base'])[1 + i % 4],
                        (ARRAY[2, 2, 2, 3, 4])[1 + i % 5],
                        (ARRAY['Compose is generated successfully', 'Compose is generated successfully',
                               'Compose is generated successfully',
                               'Compose is generated successfully' || chr(10) || 'Compose is expired.',
                                   'Error while generating compose: sample'])[1 + i % 5],
                        1, 0, '', 'x86_64', '', 0, '', 'test', \(configuration.service.targetDir), 1000 + i,
                        date_trunc('second', now() AT TIME ZONE 'utc') - make_interval(secs => i),
                        date_trunc('second', now() AT TIME ZONE 'utc') + interval '1 day',
                        date_trunc('second', now() AT TIME ZONE 'utc') - make_interval(secs => i),
                        date_trunc('second', now() AT TIME ZONE 'utc') - make_interval(secs => i)
                    FROM generate_series(1, \(count)) AS i
                    """)
            }
            try connection.execute("VACUUM ANALYZE composes")
            try connection.execute("VACUUM ANALYZE compose_counts")
            print("inserted \(count) composes")
        }
    }
}
