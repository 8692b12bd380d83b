CREATE TABLE `stats_state` (
	`id` integer PRIMARY KEY NOT NULL,
	`aggregates_through` integer NOT NULL
);
--> statement-breakpoint
-- Databases from before this table saved aggregates with every batch: they count every attempt.
INSERT INTO `stats_state` (`id`, `aggregates_through`) SELECT 1, coalesce(max(`id`), 0) FROM `attempts`;
