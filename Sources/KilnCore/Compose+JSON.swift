extension Compose {
    /// The compose JSON with exactly ODCS's keys (contract §1.5); `full` adds `pungi_config_dump`.
    public func json(configuration: ServiceConfiguration, full: Bool = false) -> JSON {
        var o = JSONObject()
        let isDefaultTarget = targetDir == nil || targetDir == configuration.targetDir
        let base = configuration.targetDirURL.hasSuffix("/") ? String(configuration.targetDirURL.dropLast()) : configuration.targetDirURL
        let toplevel = "\(base)/\(name)"
        o["id"] = .int(id)
        o["owner"] = .string(owner)
        o["source_type"] = .int(Int64(sourceType.rawValue))
        o["source"] = .string(source)
        o["state"] = .int(Int64(state.rawValue))
        o["state_name"] = .string(state.name)
        o["state_reason"] = .optional(stateReason)
        o["time_to_expire"] = .string(timeToExpire.iso8601)
        o["time_submitted"] = .string(timeSubmitted.iso8601)
        o["time_started"] = .optional(timeStarted?.iso8601)
        o["time_done"] = .optional(timeDone?.iso8601)
        o["time_removed"] = .optional(timeRemoved?.iso8601)
        o["removed_by"] = .optional(removedBy)
        let hasRepo = isDefaultTarget && sourceType != .rawConfig
        o["result_repo"] = .string(hasRepo ? "\(toplevel)/compose/Temporary" : "")
        o["result_repofile"] = .string(hasRepo ? "\(toplevel)/compose/Temporary/\(name).repo" : "")
        o["toplevel_url"] = .string(isDefaultTarget ? toplevel : "")
        o["flags"] = .array(flags.names.map { .string($0) })
        o["results"] = .array(results.names.map { .string($0) })
        o["sigkeys"] = .string(sigkeys ?? "")
        o["koji_event"] = .optional(kojiEvent)
        o["koji_task_id"] = .optional(kojiTaskID)
        o["packages"] = .optional(packages)
        o["builds"] = .optional(builds)
        o["arches"] = .string(arches ?? "")
        o["multilib_arches"] = .string(multilibArches ?? "")
        o["multilib_method"] = .int(Int64(multilibMethod.rawValue))
        o["lookaside_repos"] = .optional(lookasideRepos)
        o["modular_koji_tags"] = .optional(modularKojiTags)
        o["module_defaults_url"] = .optional(moduleDefaultsURL)
        o["label"] = .optional(label)
        o["compose_type"] = .optional(composeType)
        o["pungi_compose_id"] = .optional(pungiComposeID)
        o["target_dir"] = .string(configuration.targetDirName(forPath: targetDir))
        o["scratch_modules"] = .optional(scratchModules)
        o["parent_pungi_compose_ids"] = .optional(parentPungiComposeIDs)
        o["scratch_build_tasks"] = .optional(scratchBuildTasks)
        o["modules"] = .optional(modules)
        o["respin_of"] = .optional(respinOf)
        o["base_module_br_name"] = .optional(baseModuleBRName)
        o["base_module_br_stream"] = .optional(baseModuleBRStream)
        o["base_module_br_stream_version_lte"] = .optional(baseModuleBRStreamVersionLTE)
        o["base_module_br_stream_version_gte"] = .optional(baseModuleBRStreamVersionGTE)
        if full { o["pungi_config_dump"] = .optional(pungiConfigDump) }
        return .object(o)
    }
}
