CREATE TABLE "discovery_findings" (
	"source" text NOT NULL,
	"key" text NOT NULL,
	"marker" text NOT NULL,
	"candidate" jsonb,
	"first_seen_at" timestamp with time zone DEFAULT now() NOT NULL,
	"changed_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_seen_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "discovery_findings_pkey" PRIMARY KEY("source","key")
);
--> statement-breakpoint
CREATE TABLE "discovery_state" (
	"source" text NOT NULL,
	"key" text NOT NULL,
	"value" jsonb NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "discovery_state_pkey" PRIMARY KEY("source","key")
);
