// Dev tools that packages name as optional peers (TypeScript for their types, the Prisma CLI for
// @prisma/client): pnpm links the workspace's dev copies to those peers, so a production install
// (`pnpm install --prod`) would bring them back. Nothing needs them at run time: drop those peers.
const DEV_TOOLS = ['typescript', 'prisma'];

module.exports = {
  hooks: {
    readPackage(pkg) {
      for (const name of DEV_TOOLS) {
        if (pkg.peerDependencies?.[name] && pkg.peerDependenciesMeta?.[name]?.optional) {
          delete pkg.peerDependencies[name];
          delete pkg.peerDependenciesMeta[name];
        }
      }
      return pkg;
    },
  },
};
