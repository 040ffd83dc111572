CREATE SCHEMA IF NOT EXISTS "raw";
--> statement-breakpoint
CREATE TABLE "raw"."file_ledger" (
	"source_file" text PRIMARY KEY NOT NULL,
	"file_name" text NOT NULL,
	"source_uri" text NOT NULL,
	"domain" text,
	"checksum" text NOT NULL,
	"size_bytes" bigint NOT NULL,
	"modified_at" timestamp with time zone NOT NULL,
	"status" text NOT NULL,
	"rows_read" integer DEFAULT 0 NOT NULL,
	"rows_loaded" integer DEFAULT 0 NOT NULL,
	"rows_rejected" integer DEFAULT 0 NOT NULL,
	"error" text,
	"run_id" text NOT NULL,
	"first_seen_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "file_ledger_status_check" CHECK (status in ('loaded', 'rejected', 'skipped'))
);
--> statement-breakpoint
CREATE TABLE "raw"."op_stats" (
	"stat_date" date NOT NULL,
	"channel_id" text NOT NULL,
	"channel_name" text,
	"category" text,
	"live_hours" numeric(6, 2),
	"unique_viewers" integer,
	"new_viewers" integer,
	"peak_concurrent" integer,
	"new_followers" integer,
	"comments" integer,
	"_source_file" text NOT NULL,
	"_source_sheet" text NOT NULL,
	"_source_row" integer NOT NULL,
	"_source_modified_at" timestamp with time zone NOT NULL,
	"_run_id" text NOT NULL,
	"_loaded_at" timestamp with time zone NOT NULL,
	CONSTRAINT "op_stats_pkey" PRIMARY KEY("stat_date","channel_id")
);
--> statement-breakpoint
CREATE TABLE "raw"."post_deduction" (
	"deduction_id" text PRIMARY KEY NOT NULL,
	"settled_at" timestamp with time zone NOT NULL,
	"settled_points" integer NOT NULL,
	"status" text NOT NULL,
	"reason" text,
	"settled_date" date NOT NULL,
	"_source_file" text NOT NULL,
	"_source_sheet" text NOT NULL,
	"_source_row" integer NOT NULL,
	"_source_modified_at" timestamp with time zone NOT NULL,
	"_run_id" text NOT NULL,
	"_loaded_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "raw"."pre_deduction" (
	"deduction_id" text PRIMARY KEY NOT NULL,
	"user_id" text NOT NULL,
	"channel_id" text NOT NULL,
	"deducted_at" timestamp with time zone NOT NULL,
	"item_type" text,
	"item_name" text,
	"quantity" integer NOT NULL,
	"points" integer NOT NULL,
	"deducted_date" date NOT NULL,
	"_source_file" text NOT NULL,
	"_source_sheet" text NOT NULL,
	"_source_row" integer NOT NULL,
	"_source_modified_at" timestamp with time zone NOT NULL,
	"_run_id" text NOT NULL,
	"_loaded_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "raw"."rejected_rows" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"domain" text NOT NULL,
	"source_file" text NOT NULL,
	"sheet" text NOT NULL,
	"row_number" integer NOT NULL,
	"column_name" text,
	"raw_value" text,
	"reason" text NOT NULL,
	"run_id" text NOT NULL,
	"rejected_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "raw"."top_up" (
	"order_id" text PRIMARY KEY NOT NULL,
	"user_id" text NOT NULL,
	"topup_at" timestamp with time zone NOT NULL,
	"amount" numeric(12, 2) NOT NULL,
	"currency" text NOT NULL,
	"points" integer NOT NULL,
	"payment_method" text,
	"platform" text,
	"channel_id" text,
	"member_level" integer,
	"status" text NOT NULL,
	"promo_code" text,
	"topup_date" date NOT NULL,
	"topup_day_segment" text NOT NULL,
	"_source_file" text NOT NULL,
	"_source_sheet" text NOT NULL,
	"_source_row" integer NOT NULL,
	"_source_modified_at" timestamp with time zone NOT NULL,
	"_run_id" text NOT NULL,
	"_loaded_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE INDEX "rejected_rows_source_file_idx" ON "raw"."rejected_rows" USING btree ("source_file");