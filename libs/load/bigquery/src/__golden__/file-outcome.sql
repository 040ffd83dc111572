MERGE `sp01_raw.file_ledger` AS l
USING (SELECT @source_file AS source_file) AS f
ON l.source_file = f.source_file
WHEN MATCHED THEN UPDATE SET
  file_name = @file_name,
  source_uri = @source_uri,
  domain = @domain,
  checksum = @checksum,
  size_bytes = @size_bytes,
  modified_at = @source_modified_at,
  status = @status,
  rows_read = @rows_read,
  rows_loaded = @rows_loaded,
  rows_rejected = @rows_rejected,
  error = @error,
  run_id = @run_id,
  updated_at = CURRENT_TIMESTAMP()
WHEN NOT MATCHED THEN INSERT (
  source_file, file_name, source_uri, domain, checksum, size_bytes, modified_at, status, rows_read, rows_loaded, rows_rejected, error, run_id, first_seen_at, updated_at
) VALUES (
  @source_file, @file_name, @source_uri, @domain, @checksum, @size_bytes, @source_modified_at, @status, @rows_read, @rows_loaded, @rows_rejected, @error, @run_id, CURRENT_TIMESTAMP(), CURRENT_TIMESTAMP()
);
