CREATE TABLE IF NOT EXISTS `sp01_raw.top_up` (
  order_id STRING NOT NULL OPTIONS (description = "訂單編號 / Order ID"),
  user_id STRING NOT NULL OPTIONS (description = "會員ID / User ID"),
  topup_at TIMESTAMP NOT NULL OPTIONS (description = "儲值時間 / Top-up Time"),
  amount NUMERIC(12, 2) NOT NULL OPTIONS (description = "儲值金額 / Amount"),
  currency STRING NOT NULL OPTIONS (description = "幣別 / Currency"),
  points INT64 NOT NULL OPTIONS (description = "獲得點數 / Points"),
  payment_method STRING OPTIONS (description = "付款方式 / Payment Method"),
  platform STRING OPTIONS (description = "平台 / Platform"),
  channel_id STRING OPTIONS (description = "頻道ID / Channel ID"),
  member_level INT64 OPTIONS (description = "會員等級 / Member Level"),
  status STRING NOT NULL OPTIONS (description = "狀態 / Status"),
  promo_code STRING OPTIONS (description = "優惠代碼 / Promo Code"),
  topup_date DATE NOT NULL OPTIONS (description = "Asia/Taipei calendar date of topup_at"),
  topup_day_segment STRING NOT NULL OPTIONS (description = "late_night 00-06, morning 06-12, afternoon 12-18, evening 18-24 (local time)"),
  _source_file STRING NOT NULL OPTIONS (description = "Id of the source file (ledger key) this row was last loaded from"),
  _source_sheet STRING NOT NULL OPTIONS (description = "Sheet of the source file"),
  _source_row INT64 NOT NULL OPTIONS (description = "Row number in the sheet, as Excel shows it"),
  _source_modified_at TIMESTAMP NOT NULL OPTIONS (description = "Modified time of the source file: the newest export of a key wins"),
  _run_id STRING NOT NULL OPTIONS (description = "ETL run that loaded this row"),
  _loaded_at TIMESTAMP NOT NULL OPTIONS (description = "Time of the load (its transaction)")
)
PARTITION BY topup_date
CLUSTER BY order_id
OPTIONS (description = "Top-ups (儲值紀錄): one row per order_id, newest export wins", labels = [("app", "sp01")]);

CREATE TABLE IF NOT EXISTS `sp01_raw.pre_deduction` (
  deduction_id STRING NOT NULL OPTIONS (description = "扣點編號 / Deduction ID"),
  user_id STRING NOT NULL OPTIONS (description = "會員ID / User ID"),
  channel_id STRING NOT NULL OPTIONS (description = "頻道ID / Channel ID"),
  deducted_at TIMESTAMP NOT NULL OPTIONS (description = "扣點時間 / Deducted At"),
  item_type STRING OPTIONS (description = "類型 / Item Type"),
  item_name STRING OPTIONS (description = "項目名稱 / Item Name"),
  quantity INT64 NOT NULL OPTIONS (description = "數量 / Quantity"),
  points INT64 NOT NULL OPTIONS (description = "扣除點數 / Points"),
  deducted_date DATE NOT NULL OPTIONS (description = "Asia/Taipei calendar date of deducted_at"),
  _source_file STRING NOT NULL OPTIONS (description = "Id of the source file (ledger key) this row was last loaded from"),
  _source_sheet STRING NOT NULL OPTIONS (description = "Sheet of the source file"),
  _source_row INT64 NOT NULL OPTIONS (description = "Row number in the sheet, as Excel shows it"),
  _source_modified_at TIMESTAMP NOT NULL OPTIONS (description = "Modified time of the source file: the newest export of a key wins"),
  _run_id STRING NOT NULL OPTIONS (description = "ETL run that loaded this row"),
  _loaded_at TIMESTAMP NOT NULL OPTIONS (description = "Time of the load (its transaction)")
)
PARTITION BY deducted_date
CLUSTER BY deduction_id
OPTIONS (description = "Point pre-deductions (點數預扣): one row per deduction_id, newest export wins", labels = [("app", "sp01")]);

CREATE TABLE IF NOT EXISTS `sp01_raw.post_deduction` (
  deduction_id STRING NOT NULL OPTIONS (description = "扣點編號 / Deduction ID"),
  settled_at TIMESTAMP NOT NULL OPTIONS (description = "結算時間 / Settled At"),
  settled_points INT64 NOT NULL OPTIONS (description = "實扣點數 / Settled Points"),
  status STRING NOT NULL OPTIONS (description = "結算狀態 / Settlement Status"),
  reason STRING OPTIONS (description = "沖銷原因 / Reversal Reason"),
  settled_date DATE NOT NULL OPTIONS (description = "Asia/Taipei calendar date of settled_at"),
  _source_file STRING NOT NULL OPTIONS (description = "Id of the source file (ledger key) this row was last loaded from"),
  _source_sheet STRING NOT NULL OPTIONS (description = "Sheet of the source file"),
  _source_row INT64 NOT NULL OPTIONS (description = "Row number in the sheet, as Excel shows it"),
  _source_modified_at TIMESTAMP NOT NULL OPTIONS (description = "Modified time of the source file: the newest export of a key wins"),
  _run_id STRING NOT NULL OPTIONS (description = "ETL run that loaded this row"),
  _loaded_at TIMESTAMP NOT NULL OPTIONS (description = "Time of the load (its transaction)")
)
PARTITION BY settled_date
CLUSTER BY deduction_id
OPTIONS (description = "Point settlements (點數實扣): one row per deduction_id, newest export wins", labels = [("app", "sp01")]);

CREATE TABLE IF NOT EXISTS `sp01_raw.op_stats` (
  stat_date DATE NOT NULL OPTIONS (description = "日期 / Date"),
  channel_id STRING NOT NULL OPTIONS (description = "頻道ID / Channel ID"),
  channel_name STRING OPTIONS (description = "頻道名稱 / Channel Name"),
  category STRING OPTIONS (description = "分類 / Category"),
  live_hours NUMERIC(6, 2) OPTIONS (description = "開播時數 / Live Hours"),
  unique_viewers INT64 OPTIONS (description = "觀看人數 / Unique Viewers"),
  new_viewers INT64 OPTIONS (description = "新觀眾 / New Viewers"),
  peak_concurrent INT64 OPTIONS (description = "最高同時在線 / Peak Concurrent"),
  new_followers INT64 OPTIONS (description = "新增追蹤 / New Followers"),
  comments INT64 OPTIONS (description = "留言數 / Comments"),
  _source_file STRING NOT NULL OPTIONS (description = "Id of the source file (ledger key) this row was last loaded from"),
  _source_sheet STRING NOT NULL OPTIONS (description = "Sheet of the source file"),
  _source_row INT64 NOT NULL OPTIONS (description = "Row number in the sheet, as Excel shows it"),
  _source_modified_at TIMESTAMP NOT NULL OPTIONS (description = "Modified time of the source file: the newest export of a key wins"),
  _run_id STRING NOT NULL OPTIONS (description = "ETL run that loaded this row"),
  _loaded_at TIMESTAMP NOT NULL OPTIONS (description = "Time of the load (its transaction)")
)
PARTITION BY stat_date
CLUSTER BY channel_id
OPTIONS (description = "Channel operational stats (營運數據): one row per stat_date + channel_id, newest export wins", labels = [("app", "sp01")]);

CREATE TABLE IF NOT EXISTS `sp01_raw.rejected_rows` (
  id INT64 NOT NULL OPTIONS (description = "FARM_FINGERPRINT of the source file and the reject's position in it: stable across reloads"),
  domain STRING NOT NULL OPTIONS (description = "Report domain of the file"),
  source_file STRING NOT NULL OPTIONS (description = "Id of the source file (ledger key)"),
  sheet STRING NOT NULL OPTIONS (description = "Sheet of the source file"),
  row_number INT64 NOT NULL OPTIONS (description = "Row number in the sheet, as Excel shows it"),
  column_name STRING OPTIONS (description = "Canonical column, null when the row as a whole is wrong"),
  raw_value STRING OPTIONS (description = "The cell as text, as the file had it"),
  reason STRING NOT NULL OPTIONS (description = "Why the value was rejected"),
  run_id STRING NOT NULL OPTIONS (description = "ETL run that read the file"),
  rejected_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP() NOT NULL OPTIONS (description = "Time of the load")
)
PARTITION BY DATE(rejected_at)
CLUSTER BY source_file
OPTIONS (description = "Rows that broke a rule, one per failing column; a file's rejects are replaced when it is loaded again", labels = [("app", "sp01")]);

CREATE TABLE IF NOT EXISTS `sp01_raw.file_ledger` (
  source_file STRING NOT NULL OPTIONS (description = "Stable id of the file within its source"),
  file_name STRING NOT NULL OPTIONS (description = "File name"),
  source_uri STRING NOT NULL OPTIONS (description = "Where the file lives (file://, gdrive://, gs://)"),
  domain STRING OPTIONS (description = "Report domain, null for a file rejected before its kind was known"),
  checksum STRING NOT NULL OPTIONS (description = "sha256:<hex> or md5:<hex>; an unchanged file is skipped"),
  size_bytes INT64 NOT NULL OPTIONS (description = "Size of the file"),
  modified_at TIMESTAMP NOT NULL OPTIONS (description = "Modified time at the source"),
  status STRING NOT NULL OPTIONS (description = "loaded | rejected | skipped"),
  rows_read INT64 DEFAULT 0 NOT NULL OPTIONS (description = "Data rows read (loaded + rejected)"),
  rows_loaded INT64 DEFAULT 0 NOT NULL OPTIONS (description = "Good rows, duplicates and rows that lost to a newer export included"),
  rows_rejected INT64 DEFAULT 0 NOT NULL OPTIONS (description = "Rejected rows"),
  error STRING OPTIONS (description = "Why the file was rejected or skipped"),
  run_id STRING NOT NULL OPTIONS (description = "Run that last touched the file"),
  first_seen_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP() NOT NULL OPTIONS (description = "When a run first recorded the file"),
  updated_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP() NOT NULL OPTIONS (description = "When a run last recorded the file")
)
CLUSTER BY source_file
OPTIONS (description = "One row per source file ever seen: what happened to it the last time", labels = [("app", "sp01")]);
