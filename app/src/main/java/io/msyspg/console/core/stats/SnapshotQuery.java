package io.msyspg.console.core.stats;

/**
 * The single statement a sampler runs per tick, built for the server's major (12-17). Views a major lacks
 * give NULL columns, so the matching metrics are hidden instead of failing. The monitoring backend itself
 * ({@code pg_backend_pid()}) is excluded from the session figures.
 */
public final class SnapshotQuery {
    private SnapshotQuery() {}

    public static String sql(int major) {
        String ckpt = major >= 17
                ? "SELECT (num_timed + num_requested)::float8 AS ckpt_count, buffers_written::float8 AS ckpt_buffers, stats_reset::text AS ckpt_reset FROM pg_stat_checkpointer"
                : "SELECT (checkpoints_timed + checkpoints_req)::float8 AS ckpt_count, buffers_checkpoint::float8 AS ckpt_buffers, stats_reset::text AS ckpt_reset FROM pg_stat_bgwriter";
        String wal = major >= 14
                ? "SELECT wal_bytes::float8 AS wal_bytes, stats_reset::text AS wal_reset FROM pg_stat_wal"
                // before 14 there is no pg_stat_wal: the WAL position works as a counter on a primary
                : "SELECT CASE WHEN pg_is_in_recovery() THEN NULL ELSE pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0')::float8 END AS wal_bytes, NULL::text AS wal_reset";
        String io = major >= 16
                ? "SELECT sum(reads * op_bytes)::float8 AS io_read, sum(writes * op_bytes)::float8 AS io_write, max(stats_reset)::text AS io_reset FROM pg_stat_io"
                : "SELECT NULL::float8 AS io_read, NULL::float8 AS io_write, NULL::text AS io_reset";
        StringBuilder progress = new StringBuilder()
                .append("SELECT 'vacuum' AS kind, pid, relid::regclass::text AS relation, phase, CASE WHEN heap_blks_total > 0 THEN round(100.0 * heap_blks_scanned / heap_blks_total, 1) END AS pct FROM pg_stat_progress_vacuum")
                .append(" UNION ALL SELECT 'create index', pid, relid::regclass::text, phase, CASE WHEN blocks_total > 0 THEN round(100.0 * blocks_done / blocks_total, 1) END FROM pg_stat_progress_create_index")
                .append(" UNION ALL SELECT 'cluster', pid, relid::regclass::text, phase, CASE WHEN heap_blks_total > 0 THEN round(100.0 * heap_blks_scanned / heap_blks_total, 1) END FROM pg_stat_progress_cluster");
        if (major >= 13) {
            progress.append(" UNION ALL SELECT 'analyze', pid, relid::regclass::text, phase, CASE WHEN sample_blks_total > 0 THEN round(100.0 * sample_blks_scanned / sample_blks_total, 1) END FROM pg_stat_progress_analyze")
                    .append(" UNION ALL SELECT 'basebackup', pid, NULL, phase, CASE WHEN backup_total > 0 THEN round(100.0 * backup_streamed / backup_total, 1) END FROM pg_stat_progress_basebackup");
        }
        if (major >= 14) {
            progress.append(" UNION ALL SELECT 'copy', pid, relid::regclass::text, command, CASE WHEN bytes_total > 0 THEN round(100.0 * bytes_processed / bytes_total, 1) END FROM pg_stat_progress_copy");
        }
        return """
                SELECT extract(epoch FROM clock_timestamp()) * 1000 AS now_ms,
                       extract(epoch FROM pg_postmaster_start_time()) * 1000 AS pm_start_ms,
                       current_setting('max_connections')::float8 AS max_connections,
                       d.*, a.*, c.*, w.*, i.*, r.*,
                       (SELECT max(age(datfrozenxid))::float8 FROM pg_database) AS xid_age,
                       (SELECT coalesce(json_agg(p), '[]')::text FROM (%s) p) AS progress,
                       current_database() AS own_db,
                       (SELECT coalesce(json_agg(json_build_array(datname, xact_commit, xact_rollback,
                                   tup_inserted + tup_updated + tup_deleted, tup_returned + tup_fetched,
                                   blks_read, blks_hit, temp_files, temp_bytes, deadlocks) ORDER BY datname), '[]')::text
                        FROM pg_stat_database WHERE datname IS NOT NULL) AS per_db
                FROM (SELECT sum(xact_commit)::float8 AS db_commits, sum(xact_rollback)::float8 AS db_rollbacks,
                             sum(blks_read)::float8 AS db_blks_read, sum(blks_hit)::float8 AS db_blks_hit,
                             sum(tup_inserted + tup_updated + tup_deleted)::float8 AS db_tup_in,
                             sum(tup_returned + tup_fetched)::float8 AS db_tup_out,
                             sum(temp_files)::float8 AS db_temp_files, sum(temp_bytes)::float8 AS db_temp_bytes,
                             sum(deadlocks)::float8 AS db_deadlocks,
                             string_agg(datid::text || '@' || coalesce(stats_reset::text, '-'), ',' ORDER BY datid) AS db_reset
                      FROM pg_stat_database) d,
                     (SELECT count(*) FILTER (WHERE state = 'active' AND wait_event_type IS DISTINCT FROM 'Lock')::float8 AS s_active,
                             count(*) FILTER (WHERE state = 'idle')::float8 AS s_idle,
                             count(*) FILTER (WHERE state LIKE 'idle in transaction%%')::float8 AS s_idle_tx,
                             count(*) FILTER (WHERE wait_event_type = 'Lock')::float8 AS s_waiting,
                             count(*) FILTER (WHERE backend_type = 'client backend')::float8 AS s_total,
                             coalesce(max(extract(epoch FROM statement_timestamp() - xact_start)) FILTER (WHERE backend_type = 'client backend'), 0)::float8 AS xact_age,
                             coalesce(max(extract(epoch FROM statement_timestamp() - query_start)) FILTER (WHERE state = 'active' AND backend_type = 'client backend'), 0)::float8 AS query_age,
                             count(*) FILTER (WHERE backend_type = 'autovacuum worker')::float8 AS av_workers
                      FROM pg_stat_activity
                      WHERE pid <> pg_backend_pid() AND backend_type IN ('client backend', 'autovacuum worker')) a,
                     (%s) c, (%s) w, (%s) i,
                     (SELECT count(*)::float8 AS standbys,
                             max(CASE WHEN pg_is_in_recovery() THEN NULL ELSE pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn) END)::float8 AS rep_lag_bytes,
                             max(extract(epoch FROM replay_lag))::float8 AS rep_lag_s
                      FROM pg_stat_replication) r
                """.formatted(progress, ckpt, wal, io);
    }

    /** Database sizes: throttled by the sampler (minutes apart), since pg_database_size walks the files. */
    public static final String SIZES = "SELECT pg_database_size(current_database())::float8 AS db_size,"
            + " (SELECT sum(pg_database_size(oid)) FROM pg_database WHERE datallowconn)::float8 AS cluster_size";
}
