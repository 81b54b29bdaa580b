/* job.h — long operations (imports, batch runs) in the background.
 *
 * A job is a row in the jobs table (kind, org, who, status, counts, result)
 * and a thread of the process that started it. Progress counters are kept
 * in that process's memory while the job runs — writing them to the
 * database would mean writing inside or beside the job's own transaction —
 * and the row is updated when the job starts and ends. Asking another
 * server process about a running job therefore shows "running" without live
 * counts; asking the process that runs it shows them. A process that dies
 * mid-job leaves a row in "running": job_get reports such a job as failed
 * once it has not been updated for an hour. */
#ifndef GH_JOB_H
#define GH_JOB_H

#include <jansson.h>

#include "domain/core/ctx.h"

/* The work: runs in its own thread with its own connection. *result (may
 * stay NULL) is stored as the job's result; on failure e is stored. arg is
 * owned by the job and released with free_arg after fn returns. */
typedef int (*job_fn)(gh_ctx *x, int64_t job_id, void *arg, json_t **result, gh_err *e);

/* Start fn in a thread of its own. At most a few jobs run at once in a
 * process, and fewer for one user (job_set_limits): past either, nothing is
 * written or started and the answer is ERR_RATE "too_many_jobs" (429) — the
 * caller tries again later; there is no queue. arg is released on every
 * failure too. */
int job_start(gh_ctx *x, const char *kind, int64_t org_id, job_fn fn, void *arg, void (*free_arg)(void *),
              int64_t *job_id, gh_err *e);

/* The limits: jobs running at once in this process (4 by default, at most
 * 64) and for one user (2). */
void job_set_limits(int per_server, int per_user);
/* The per-process limit. */
int job_max(void);
/* 1 while the process could start another job (someone's). */
int job_has_room(void);

/* Called by fn as it goes. */
void job_progress(int64_t job_id, int64_t done, int64_t total);

/* The job as JSON, for its starter, admins, and staff whose scope holds the
 * job's org. */
int job_get(gh_ctx *x, int64_t id, json_t **out, gh_err *e);

/* Wait for every job thread of this process (at shutdown). */
void job_wait_all(int seconds);

#endif
