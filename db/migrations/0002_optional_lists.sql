ALTER TABLE "introspections" ADD COLUMN "prompts" jsonb;--> statement-breakpoint
ALTER TABLE "introspections" ADD COLUMN "resources" jsonb;--> statement-breakpoint
ALTER TABLE "introspections" ADD COLUMN "resource_templates" jsonb;--> statement-breakpoint
ALTER TABLE "introspections" ADD COLUMN "list_failures" jsonb DEFAULT '[]'::jsonb NOT NULL;