SELECT source_file, file_name, domain, checksum, modified_at, status, rows_read, rows_loaded, rows_rejected, error, run_id, first_seen_at, updated_at
FROM `sp01_raw.file_ledger`
WHERE source_file = @source_file
