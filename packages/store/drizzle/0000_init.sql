CREATE TABLE `api_tokens` (
	`token_id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`role` text NOT NULL,
	`hash` text NOT NULL,
	`created_at` text NOT NULL,
	`expires_at` text,
	`last_used_at` text
);
--> statement-breakpoint
CREATE UNIQUE INDEX `api_tokens_hash_idx` ON `api_tokens` (`hash`);--> statement-breakpoint
CREATE INDEX `api_tokens_created_idx` ON `api_tokens` (`created_at`,`token_id`);--> statement-breakpoint
CREATE TABLE `audit_log` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`at` text NOT NULL,
	`token_id` text,
	`role` text,
	`method` text NOT NULL,
	`route` text NOT NULL,
	`job_id` text,
	`status` integer NOT NULL,
	`request_id` text
);
--> statement-breakpoint
CREATE INDEX `audit_log_job_idx` ON `audit_log` (`job_id`,`id`);--> statement-breakpoint
CREATE TABLE `checkpoint_tasks` (
	`job_id` text NOT NULL,
	`checkpoint_id` integer NOT NULL,
	`vertex_id` text NOT NULL,
	`subtask_index` integer NOT NULL,
	`position` integer NOT NULL,
	`acknowledged` integer DEFAULT false NOT NULL,
	`ack_time` text,
	`state_size_bytes` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`job_id`, `checkpoint_id`, `vertex_id`, `subtask_index`),
	FOREIGN KEY (`job_id`,`checkpoint_id`) REFERENCES `checkpoints`(`job_id`,`checkpoint_id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `checkpoints` (
	`job_id` text NOT NULL,
	`checkpoint_id` integer NOT NULL,
	`attempt` integer NOT NULL,
	`kind` text NOT NULL,
	`status` text NOT NULL,
	`reason` text NOT NULL,
	`trigger_time` text NOT NULL,
	`completion_time` text,
	`size_bytes` integer DEFAULT 0 NOT NULL,
	`acknowledged` integer DEFAULT 0 NOT NULL,
	`total` integer NOT NULL,
	`failure_reason` text,
	`snapshot_path` text,
	PRIMARY KEY(`job_id`, `checkpoint_id`),
	FOREIGN KEY (`job_id`) REFERENCES `jobs`(`job_id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `checkpoints_job_status_idx` ON `checkpoints` (`job_id`,`status`,`checkpoint_id`);--> statement-breakpoint
CREATE TABLE `dlq_messages` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`message_id` text NOT NULL,
	`job_id` text NOT NULL,
	`step_name` text NOT NULL,
	`subtask_index` integer NOT NULL,
	`error_message` text NOT NULL,
	`payload` text NOT NULL,
	`new_payload` text,
	`status` text NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	FOREIGN KEY (`job_id`) REFERENCES `jobs`(`job_id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `dlq_messages_message_id_idx` ON `dlq_messages` (`message_id`);--> statement-breakpoint
CREATE INDEX `dlq_messages_job_idx` ON `dlq_messages` (`job_id`,`id`);--> statement-breakpoint
CREATE INDEX `dlq_messages_job_status_idx` ON `dlq_messages` (`job_id`,`status`,`id`);--> statement-breakpoint
CREATE TABLE `idempotency_keys` (
	`key` text PRIMARY KEY NOT NULL,
	`body_hash` text NOT NULL,
	`job_id` text NOT NULL,
	`created_at` text NOT NULL,
	FOREIGN KEY (`job_id`) REFERENCES `jobs`(`job_id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `job_logs` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`job_id` text NOT NULL,
	`timestamp` text NOT NULL,
	`level` text NOT NULL,
	`source` text NOT NULL,
	`message` text NOT NULL,
	FOREIGN KEY (`job_id`) REFERENCES `jobs`(`job_id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `job_logs_job_idx` ON `job_logs` (`job_id`,`id`);--> statement-breakpoint
CREATE INDEX `job_logs_job_level_idx` ON `job_logs` (`job_id`,`level`,`id`);--> statement-breakpoint
CREATE INDEX `job_logs_job_time_idx` ON `job_logs` (`job_id`,`timestamp`);--> statement-breakpoint
CREATE TABLE `job_transitions` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`job_id` text NOT NULL,
	`from_state` text,
	`to_state` text NOT NULL,
	`reason` text NOT NULL,
	`at` text NOT NULL,
	FOREIGN KEY (`job_id`) REFERENCES `jobs`(`job_id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `job_transitions_job_idx` ON `job_transitions` (`job_id`,`id`);--> statement-breakpoint
CREATE TABLE `jobs` (
	`job_id` text PRIMARY KEY NOT NULL,
	`job_name` text NOT NULL,
	`status` text NOT NULL,
	`definition` text NOT NULL,
	`job_graph` text NOT NULL,
	`attempt` integer DEFAULT 0 NOT NULL,
	`restart_count` integer DEFAULT 0 NOT NULL,
	`error_message` text,
	`last_checkpoint_id` integer,
	`checkpoint_counter` integer DEFAULT 0 NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	`start_time` text,
	`end_time` text
);
--> statement-breakpoint
CREATE INDEX `jobs_created_idx` ON `jobs` (`created_at`,`job_id`);--> statement-breakpoint
CREATE INDEX `jobs_status_created_idx` ON `jobs` (`status`,`created_at`,`job_id`);--> statement-breakpoint
CREATE TABLE `taskmanagers` (
	`task_manager_id` text PRIMARY KEY NOT NULL,
	`address` text NOT NULL,
	`version` text NOT NULL,
	`state` text NOT NULL,
	`slots` integer NOT NULL,
	`operators` text NOT NULL,
	`registered_at` text NOT NULL,
	`last_heartbeat` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `taskmanagers_state_idx` ON `taskmanagers` (`state`);--> statement-breakpoint
CREATE TABLE `tasks` (
	`job_id` text NOT NULL,
	`attempt` integer NOT NULL,
	`vertex_id` text NOT NULL,
	`subtask_index` integer NOT NULL,
	`position` integer NOT NULL,
	`task_manager_id` text,
	`state` text NOT NULL,
	`error` text,
	`records_in` integer DEFAULT 0 NOT NULL,
	`records_out` integer DEFAULT 0 NOT NULL,
	`records_in_per_second` real DEFAULT 0 NOT NULL,
	`records_out_per_second` real DEFAULT 0 NOT NULL,
	`backpressure_ratio` real DEFAULT 0 NOT NULL,
	`state_size_bytes` integer DEFAULT 0 NOT NULL,
	`dlq_records` integer DEFAULT 0 NOT NULL,
	`metrics_at` integer NOT NULL,
	`updated_at` text NOT NULL,
	PRIMARY KEY(`job_id`, `attempt`, `vertex_id`, `subtask_index`),
	FOREIGN KEY (`job_id`) REFERENCES `jobs`(`job_id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `tasks_job_position_idx` ON `tasks` (`job_id`,`attempt`,`position`);--> statement-breakpoint
CREATE INDEX `tasks_task_manager_idx` ON `tasks` (`task_manager_id`);