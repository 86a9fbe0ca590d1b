import type { NextConfig } from 'next';

// The console: server components and actions import the gateway's domain modules (server/),
// which are TypeScript with explicit .ts extensions and use better-sqlite3 natively.
const config: NextConfig = {
  serverExternalPackages: ['better-sqlite3', '@prisma/adapter-better-sqlite3'],
  poweredByHeader: false,
  typescript: { ignoreBuildErrors: false },
};

export default config;
