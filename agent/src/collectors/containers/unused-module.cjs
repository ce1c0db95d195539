// Stands in for dockerode's dependencies the agent never calls (ssh2, gRPC) in the agent's bundle
// (agent/build.mjs): importing them would cost about 25 MB of memory for nothing.
module.exports = {};
