import type { NextConfig } from 'next';

// The console: server components and actions import the gateway's domain modules (server/),
// which are TypeScript with explicit .ts extensions and use better-sqlite3 natively.
const config: NextConfig = {
  serverExternalPackages: ['better-sqlite3', '@prisma/adapter-better-sqlite3'],
  poweredByHeader: false,
  typescript: { ignoreBuildErrors: false },
  // A table imported on the Tables page travels in one server action: 100,000 entries of
  // postmap source are a few megabytes, over the 1 MB Next.js takes by default.
  experimental: { serverActions: { bodySizeLimit: '32mb' } },
};

export default config;
