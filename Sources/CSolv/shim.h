#ifndef CSOLV_SHIM_H
#define CSOLV_SHIM_H

#include <stdio.h>
#include <solv/pool.h>
#include <solv/evr.h>
#include <solv/poolarch.h>
#include <solv/repo.h>
#include <solv/repodata.h>
#include <solv/dataiterator.h>
#include <solv/solvable.h>
#include <solv/solver.h>
#include <solv/transaction.h>
#include <solv/problems.h>
#include <solv/policy.h>
#include <solv/queue.h>
#include <solv/chksum.h>
#include <solv/knownid.h>
#include <solv/repo_rpmmd.h>
#include <solv/repo_repomdxml.h>
#include <solv/solv_xfopen.h>

/* Helpers for what Swift cannot call directly: iteration macros, flag macros, dataiterator walks. */

/* Appends the id of every solvable of `repo` to `q` (FOR_REPO_SOLVABLES). */
static inline void CSolv_repo_solvables(Repo *repo, Queue *q) {
    Id p;
    Solvable *s;
    FOR_REPO_SOLVABLES(repo, p, s)
        queue_push(q, p);
}

/* The href of the repomd.xml <data type="TYPE"> entry loaded by repo_add_repomdxml, or NULL. The string lives in
 * the pool's temporary space: copy it before the next libsolv call. */
static inline const char *CSolv_repomd_location(Repo *repo, const char *type) {
    Pool *pool = repo->pool;
    Dataiterator di;
    const char *location = NULL;
    dataiterator_init(&di, pool, repo, SOLVID_META, REPOSITORY_REPOMD_TYPE, type, SEARCH_STRING);
    dataiterator_prepend_keyname(&di, REPOSITORY_REPOMD);
    if (dataiterator_step(&di)) {
        dataiterator_setpos_parent(&di);
        location = pool_lookup_str(pool, SOLVID_POS, REPOSITORY_REPOMD_LOCATION);
    }
    dataiterator_free(&di);
    return location;
}

/* Job and flag constants (macros, some of them composed) as plain values. */
static const int CSolv_DISTTYPE_RPM = DISTTYPE_RPM;
static const int CSolv_SOLVER_INSTALL_SOLVABLE = SOLVER_INSTALL | SOLVER_SOLVABLE;
static const int CSolv_SOLVER_INSTALL_PROVIDES = SOLVER_INSTALL | SOLVER_SOLVABLE_PROVIDES;
static const int CSolv_SOLVER_FLAG_IGNORE_RECOMMENDED = SOLVER_FLAG_IGNORE_RECOMMENDED;
static const int CSolv_REPO_EXTEND_SOLVABLES = REPO_EXTEND_SOLVABLES;
static const int CSolv_REPO_NO_INTERNALIZE = REPO_NO_INTERNALIZE;
static const Id CSolv_SOLVID_META = SOLVID_META;
static const Id CSolv_SYSTEMSOLVABLE = SYSTEMSOLVABLE;

/* Field access for a solvable id. */
static inline Id CSolv_solvable_name(Pool *pool, Id p) { return pool->solvables[p].name; }
static inline Id CSolv_solvable_evr(Pool *pool, Id p) { return pool->solvables[p].evr; }
static inline Id CSolv_solvable_arch(Pool *pool, Id p) { return pool->solvables[p].arch; }
static inline Repo *CSolv_solvable_repo(Pool *pool, Id p) { return pool->solvables[p].repo; }
/* Whether the solvable's arch is installable with the pool's arch policy (src/nosrc never are). */
static inline int CSolv_solvable_installable(Pool *pool, Id p) { return pool_installable(pool, pool->solvables + p); }

/* The providers of dependency `dep`, appended to `q` (walks the whatprovides id list up to its 0 terminator). */
static inline void CSolv_whatprovides(Pool *pool, Id dep, Queue *q) {
    Id p, pp;
    FOR_PROVIDES(p, pp, dep)
        queue_push(q, p);
}

#endif
