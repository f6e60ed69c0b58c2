extension Compose {
    /// The compose JSON with exactly ODCS's keys, as a value; `full` adds `pungi_config_dump`.
    public func json(configuration: ServiceConfiguration, full: Bool = false) -> JSON {
        var writer = JSONWriter()
        write(into: &writer, configuration: configuration, full: full)
        // The writer only emits valid JSON, so parsing it back cannot fail.
        return (try? JSONParser.parse(writer.bytes)) ?? .null
    }

    /// Writes the compose JSON straight into `writer`, keys in sorted order as Flask's jsonify does.
    public func write(into w: inout JSONWriter, configuration: ServiceConfiguration, full: Bool = false) {
        let isDefaultTarget = configuration.isDefaultTargetDir(targetDir)
        let hasRepo = isDefaultTarget && sourceType != .rawConfig
        let base = configuration.targetDirBaseURL
        let name = self.name
        w.beginObject()
        w.key("arches"); w.string(arches ?? "")
        w.key("base_module_br_name"); w.string(baseModuleBRName)
        w.key("base_module_br_stream"); w.string(baseModuleBRStream)
        w.key("base_module_br_stream_version_gte"); w.int(baseModuleBRStreamVersionGTE)
        w.key("base_module_br_stream_version_lte"); w.int(baseModuleBRStreamVersionLTE)
        w.key("builds"); w.string(builds)
        w.key("compose_type"); w.string(composeType)
        w.key("flags"); w.beginArray(); for flag in flags.names { w.string(flag) }; w.endArray()
        w.key("id"); w.int(id)
        w.key("koji_event"); w.int(kojiEvent)
        w.key("koji_task_id"); w.int(kojiTaskID)
        w.key("label"); w.string(label)
        w.key("lookaside_repos"); w.string(lookasideRepos)
        w.key("modular_koji_tags"); w.string(modularKojiTags)
        w.key("module_defaults_url"); w.string(moduleDefaultsURL)
        w.key("modules"); w.string(modules)
        w.key("multilib_arches"); w.string(multilibArches ?? "")
        w.key("multilib_method"); w.int(Int64(multilibMethod.rawValue))
        w.key("owner"); w.string(owner)
        w.key("packages"); w.string(packages)
        w.key("parent_pungi_compose_ids"); w.string(parentPungiComposeIDs)
        if full, let progress {
            w.key("progress")
            w.beginObject()
            w.key("done"); w.int(Int64(progress.done))
            w.key("phase"); w.string(progress.phase)
            w.key("total"); w.int(Int64(progress.total))
            w.endObject()
        }
        w.key("pungi_compose_id"); w.string(pungiComposeID)
        if full { w.key("pungi_config_dump"); w.string(pungiConfigDump) }
        w.key("removed_by"); w.string(removedBy)
        w.key("respin_of"); w.string(respinOf)
        w.key("result_repo")
        if hasRepo { w.string(parts: [base, "/", name, "/compose/Temporary"]) } else { w.string("") }
        w.key("result_repofile")
        if hasRepo { w.string(parts: [base, "/", name, "/compose/Temporary/", name, ".repo"]) } else { w.string("") }
        w.key("results"); w.beginArray(); for result in results.names { w.string(result) }; w.endArray()
        w.key("scratch_build_tasks"); w.string(scratchBuildTasks)
        w.key("scratch_modules"); w.string(scratchModules)
        w.key("sigkeys"); w.string(sigkeys ?? "")
        w.key("source"); w.string(source)
        w.key("source_type"); w.int(Int64(sourceType.rawValue))
        w.key("state"); w.int(Int64(state.rawValue))
        w.key("state_name"); w.string(state.name)
        w.key("state_reason"); w.string(stateReason)
        w.key("target_dir"); w.string(configuration.targetDirName(forPath: targetDir))
        w.key("time_done"); w.timestamp(timeDone)
        w.key("time_removed"); w.timestamp(timeRemoved)
        w.key("time_started"); w.timestamp(timeStarted)
        w.key("time_submitted"); w.timestamp(timeSubmitted)
        w.key("time_to_expire"); w.timestamp(timeToExpire)
        w.key("toplevel_url")
        if isDefaultTarget { w.string(parts: [base, "/", name]) } else { w.string("") }
        w.endObject()
    }
}
