#ifndef CMODULEMD_SHIM_H
#define CMODULEMD_SHIM_H

#include <modulemd.h>

/* Helpers for what Swift cannot call directly: GObject casts and type checks (macros), GPtrArray indexing. */

/* The streams of every module of an index, appended to `out` (borrowed from the index, not referenced). */
static inline GPtrArray *CModulemd_index_streams(ModulemdModuleIndex *index) {
    GPtrArray *out = g_ptr_array_new();
    gchar **names = modulemd_module_index_get_module_names_as_strv(index);
    for (gchar **name = names; name && *name; name++) {
        ModulemdModule *module = modulemd_module_index_get_module(index, *name);
        GPtrArray *streams = modulemd_module_get_all_streams(module);
        for (guint i = 0; streams && i < streams->len; i++)
            g_ptr_array_add(out, g_ptr_array_index(streams, i));
    }
    g_strfreev(names);
    return out;
}

static inline ModulemdModuleStream *CModulemd_stream_at(GPtrArray *streams, guint i) {
    return MODULEMD_MODULE_STREAM(g_ptr_array_index(streams, i));
}

static inline guint CModulemd_length(GPtrArray *array) { return array ? array->len : 0; }

static inline int CModulemd_is_v2(ModulemdModuleStream *stream) { return MODULEMD_IS_MODULE_STREAM_V2(stream); }

/* A v2 stream's RPM artifacts (`name-epoch:version-release.arch`); free with g_strfreev. */
static inline gchar **CModulemd_v2_artifacts(ModulemdModuleStream *stream) {
    return modulemd_module_stream_v2_get_rpm_artifacts_as_strv(MODULEMD_MODULE_STREAM_V2(stream));
}

/* A v2 stream's dependency blocks (borrowed). */
static inline GPtrArray *CModulemd_v2_dependencies(ModulemdModuleStream *stream) {
    return modulemd_module_stream_v2_get_dependencies(MODULEMD_MODULE_STREAM_V2(stream));
}

static inline ModulemdDependencies *CModulemd_dependencies_at(GPtrArray *dependencies, guint i) {
    return MODULEMD_DEPENDENCIES(g_ptr_array_index(dependencies, i));
}

static inline void CModulemd_unref(gpointer object) { if (object) g_object_unref(object); }

static inline const char *CModulemd_error_message(GError *error) { return error ? error->message : "unknown error"; }

/* The first failure's message of a failures array from update_from_string, or NULL. */
static inline const char *CModulemd_first_failure(GPtrArray *failures) {
    if (!failures || failures->len == 0) return NULL;
    ModulemdSubdocumentInfo *info = MODULEMD_SUBDOCUMENT_INFO(g_ptr_array_index(failures, 0));
    const GError *error = modulemd_subdocument_info_get_gerror(info);
    return error ? error->message : "invalid document";
}

#endif
