ALTER TABLE "introspections" ADD COLUMN "attempt" integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "introspections" ADD COLUMN "transient" boolean;--> statement-breakpoint
ALTER TABLE "introspections" ADD COLUMN "crawler_version" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
-- Attempts stored before numbering are numbered in the order they started, per version.
UPDATE "introspections" AS "i" SET "attempt" = "n"."attempt"
FROM (SELECT "id", row_number() OVER (PARTITION BY "server_version_id" ORDER BY "started_at", "id") AS "attempt" FROM "introspections") AS "n"
WHERE "i"."id" = "n"."id" AND "n"."attempt" > 1;
