CREATE TABLE `attempt_batches` (
	`id` integer PRIMARY KEY NOT NULL,
	`last_attempt_id` integer NOT NULL,
	`attempts` integer NOT NULL,
	`recorded_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `attempt_batches_recorded_idx` ON `attempt_batches` (`recorded_at`);--> statement-breakpoint
CREATE TABLE `attempt_runs` (
	`id` integer PRIMARY KEY NOT NULL,
	`run_id` text NOT NULL,
	`graph_id` text,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `attempt_runs_run_id_unique` ON `attempt_runs` (`run_id`);--> statement-breakpoint
CREATE TABLE `attempt_series` (
	`id` integer PRIMARY KEY NOT NULL,
	`path` text NOT NULL,
	`block_id` text NOT NULL,
	`block_name` text NOT NULL,
	`block_type` text NOT NULL,
	`block_version` text NOT NULL,
	`provider` text NOT NULL,
	`model` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `attempt_series_uq` ON `attempt_series` (`block_name`,`block_type`,`block_version`,`provider`,`model`,`path`,`block_id`);--> statement-breakpoint
CREATE TABLE `attempts` (
	`id` integer PRIMARY KEY NOT NULL,
	`run_ref` integer NOT NULL,
	`series_ref` integer NOT NULL,
	`attempt` integer NOT NULL,
	`retry` integer NOT NULL,
	`kind` integer NOT NULL,
	`started_at` integer NOT NULL,
	`latency_ms` real NOT NULL,
	`ttft_ms` real,
	`tokens_in` integer NOT NULL,
	`tokens_out` integer NOT NULL,
	`cost_usd` real,
	`status` integer NOT NULL,
	`waited_ms` real,
	`selection_reason` text,
	`error` text
);
--> statement-breakpoint
CREATE INDEX `attempts_run_idx` ON `attempts` (`run_ref`);--> statement-breakpoint
CREATE TABLE `block_aggregates` (
	`id` integer PRIMARY KEY NOT NULL,
	`block_name` text NOT NULL,
	`block_type` text NOT NULL,
	`block_version` text NOT NULL,
	`provider` text NOT NULL,
	`model` text NOT NULL,
	`count` integer NOT NULL,
	`visits` integer NOT NULL,
	`ok_count` integer NOT NULL,
	`status_counts` text NOT NULL,
	`latency_n` real NOT NULL,
	`latency_mean` real NOT NULL,
	`latency_m2` real NOT NULL,
	`cost_n` real NOT NULL,
	`cost_mean` real NOT NULL,
	`cost_m2` real NOT NULL,
	`tokens_in_n` real NOT NULL,
	`tokens_in_mean` real NOT NULL,
	`tokens_in_m2` real NOT NULL,
	`tokens_out_n` real NOT NULL,
	`tokens_out_mean` real NOT NULL,
	`tokens_out_m2` real NOT NULL,
	`ttft_n` real NOT NULL,
	`ttft_mean` real NOT NULL,
	`ttft_m2` real NOT NULL,
	`latency_sketch` blob NOT NULL,
	`recency` blob NOT NULL,
	`first_at` integer NOT NULL,
	`last_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `block_aggregates_key_uq` ON `block_aggregates` (`block_name`,`block_type`,`block_version`,`provider`,`model`);--> statement-breakpoint
CREATE TABLE `block_lineage` (
	`graph_id` text NOT NULL,
	`block_id` text NOT NULL,
	`version` text NOT NULL,
	`block_name` text,
	`block_type` text,
	`previous_version` text,
	`previous_name` text,
	`previous_type` text,
	`graph_version_id` text,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`graph_id`, `block_id`, `version`)
);
--> statement-breakpoint
CREATE INDEX `block_lineage_version_idx` ON `block_lineage` (`version`,`created_at`);--> statement-breakpoint
CREATE TABLE `checkpoints` (
	`id` text PRIMARY KEY NOT NULL,
	`run_id` text NOT NULL,
	`step` integer NOT NULL,
	`kind` text NOT NULL,
	`base_id` text,
	`json` text,
	`bytes` blob,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`run_id`) REFERENCES `runs`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "checkpoints_one_payload" CHECK(("checkpoints"."json" is null) <> ("checkpoints"."bytes" is null))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `checkpoints_run_step_uq` ON `checkpoints` (`run_id`,`step`);--> statement-breakpoint
CREATE TABLE `graph_run_stats` (
	`graph_id` text PRIMARY KEY NOT NULL,
	`runs` integer NOT NULL,
	`finished` integer NOT NULL,
	`failed` integer NOT NULL,
	`duration_n` real NOT NULL,
	`duration_mean` real NOT NULL,
	`duration_m2` real NOT NULL,
	`cost_n` real NOT NULL,
	`cost_mean` real NOT NULL,
	`cost_m2` real NOT NULL,
	`last_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `graph_versions` (
	`id` text PRIMARY KEY NOT NULL,
	`graph_id` text NOT NULL,
	`version` integer NOT NULL,
	`content_hash` text NOT NULL,
	`document` text NOT NULL,
	`diagnostics` text,
	`block_count` integer DEFAULT 0 NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`graph_id`) REFERENCES `graphs`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `graph_versions_graph_version_uq` ON `graph_versions` (`graph_id`,`version`);--> statement-breakpoint
CREATE INDEX `graph_versions_hash_idx` ON `graph_versions` (`content_hash`);--> statement-breakpoint
CREATE TABLE `graphs` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`latest_version` integer DEFAULT 0 NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `run_events` (
	`run_id` text NOT NULL,
	`seq` integer NOT NULL,
	`type` text NOT NULL,
	`at` integer NOT NULL,
	`data` text NOT NULL,
	PRIMARY KEY(`run_id`, `seq`),
	FOREIGN KEY (`run_id`) REFERENCES `runs`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `runs` (
	`id` text PRIMARY KEY NOT NULL,
	`graph_id` text NOT NULL,
	`graph_version_id` text NOT NULL,
	`status` text NOT NULL,
	`input` text NOT NULL,
	`options` text NOT NULL,
	`totals` text,
	`cost_usd` real,
	`duration_ms` real,
	`error` text,
	`parent_run_id` text,
	`parent_checkpoint_id` text,
	`last_seq` integer DEFAULT -1 NOT NULL,
	`created_at` integer NOT NULL,
	`started_at` integer,
	`finished_at` integer,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`graph_id`) REFERENCES `graphs`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`graph_version_id`) REFERENCES `graph_versions`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `runs_graph_created_idx` ON `runs` (`graph_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `runs_status_idx` ON `runs` (`status`);--> statement-breakpoint
CREATE TABLE `share_links` (
	`id` text PRIMARY KEY NOT NULL,
	`kind` text NOT NULL,
	`graph_version_id` text,
	`run_id` text,
	`snapshot` text,
	`created_at` integer NOT NULL,
	`revoked_at` integer,
	FOREIGN KEY (`graph_version_id`) REFERENCES `graph_versions`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`run_id`) REFERENCES `runs`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "share_links_id_entropy" CHECK(length("share_links"."id") >= 22),
	CONSTRAINT "share_links_target" CHECK(("share_links"."kind" = 'graph_version' and "share_links"."graph_version_id" is not null and "share_links"."run_id" is null) or ("share_links"."kind" = 'run' and "share_links"."run_id" is not null))
);
--> statement-breakpoint
CREATE TABLE `transition_counts` (
	`graph_id` text NOT NULL,
	`scope` text NOT NULL,
	`from_block` text NOT NULL,
	`to_block` text NOT NULL,
	`condition_hash` text NOT NULL,
	`count` integer NOT NULL,
	`last_at` integer NOT NULL,
	PRIMARY KEY(`graph_id`, `scope`, `from_block`, `to_block`, `condition_hash`)
);
--> statement-breakpoint
CREATE TABLE `visit_counts` (
	`graph_id` text NOT NULL,
	`scope` text NOT NULL,
	`block_id` text NOT NULL,
	`visits` integer NOT NULL,
	`runs` integer NOT NULL,
	`finishes` integer NOT NULL,
	`max_visits_in_run` integer NOT NULL,
	`last_at` integer NOT NULL,
	PRIMARY KEY(`graph_id`, `scope`, `block_id`)
);
--> statement-breakpoint
CREATE VIEW `attempts_view` AS select "attempts"."id", "attempt_runs"."run_id", "attempt_runs"."graph_id", "attempt_series"."path", "attempt_series"."block_id", "attempt_series"."block_name", "attempt_series"."block_type", "attempt_series"."block_version", "attempt_series"."provider", "attempt_series"."model", "attempts"."attempt", "attempts"."retry", CASE "attempts"."kind" WHEN 0 THEN 'first' WHEN 1 THEN 'retry' WHEN 2 THEN 'fallback' WHEN 3 THEN 'repair' END as "kind", "attempts"."started_at", "attempts"."latency_ms", "attempts"."ttft_ms", "attempts"."tokens_in", "attempts"."tokens_out", "attempts"."cost_usd", CASE "attempts"."status" WHEN 0 THEN 'ok' WHEN 1 THEN 'rate_limited' WHEN 2 THEN 'timeout' WHEN 3 THEN 'server_error' WHEN 4 THEN 'connection_error' WHEN 5 THEN 'invalid_request' WHEN 6 THEN 'auth_error' WHEN 7 THEN 'content_filter' WHEN 8 THEN 'context_length' WHEN 9 THEN 'invalid_output' WHEN 10 THEN 'budget_exceeded' WHEN 11 THEN 'cancelled' END as "status", "attempts"."waited_ms", "attempts"."selection_reason", "attempts"."error" from "attempts" inner join "attempt_runs" on "attempt_runs"."id" = "attempts"."run_ref" inner join "attempt_series" on "attempt_series"."id" = "attempts"."series_ref";