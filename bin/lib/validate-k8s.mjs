// Validates rendered Kubernetes manifests offline (bin/check-deploy runs it on every overlay):
// each document against its kind's schema (kubernetes-models: wrong types, missing required
// fields; the Strimzi resources with @kubernetes-models/strimzi-kafka-operator), then the rules
// this project's deployments keep. Usage: node validate-k8s.mjs <rendered.yaml>...
import { readFileSync } from "node:fs";
import { parseAllDocuments } from "yaml";

const problems = [];
const problem = (where, what) => problems.push(`${where}: ${what}`);

async function modelOf(apiVersion, kind) {
  const [group, version] = apiVersion.includes("/") ? apiVersion.split("/") : [null, apiVersion];
  const module = group === null ? `kubernetes-models/${version}/${kind}`
    : group.endsWith("strimzi.io") ? `@kubernetes-models/strimzi-kafka-operator/${group}/${version}/${kind}`
    : `kubernetes-models/${group}/${version}/${kind}`;
  try {
    return (await import(module))[kind];
  } catch {
    return null;
  }
}

function checkWorkload(name, doc, all) {
  const pod = doc.spec.template.spec;
  const podSecurity = pod.securityContext ?? {};
  if (podSecurity.runAsNonRoot !== true) problem(name, "pod securityContext.runAsNonRoot is not true");
  if (!(pod.terminationGracePeriodSeconds >= 45)) problem(name, "terminationGracePeriodSeconds < 45: Kafka Streams and in-flight requests need time to finish");
  for (const c of pod.containers) {
    const where = `${name} container ${c.name}`;
    if (!c.image || !/:[^/]+$|@sha256:/.test(c.image) || c.image.endsWith(":latest")) problem(where, `image ${c.image} is not pinned to a tag`);
    for (const probe of ["readinessProbe", "livenessProbe"]) {
      if (!c[probe]?.httpGet?.path?.startsWith("/actuator/health/")) problem(where, `${probe} is not on an actuator health group`);
    }
    if (!c.resources?.requests?.cpu || !c.resources?.requests?.memory) problem(where, "no cpu and memory requests");
    if (!c.resources?.limits?.memory) problem(where, "no memory limit (the JVM sizes its heap from it)");
    const s = c.securityContext ?? {};
    if (s.readOnlyRootFilesystem !== true) problem(where, "root filesystem is not read-only");
    if (s.allowPrivilegeEscalation !== false) problem(where, "privilege escalation is not switched off");
    if (!(s.capabilities?.drop ?? []).includes("ALL")) problem(where, "capabilities are not dropped");
    const mounts = (c.volumeMounts ?? []).map((m) => m.mountPath);
    if (!mounts.includes("/tmp")) problem(where, "no writable /tmp (the root filesystem is read-only)");
    for (const from of c.envFrom ?? []) {
      if (from.configMapRef && !all.some((d) => d.kind === "ConfigMap" && d.metadata.name === from.configMapRef.name)) {
        problem(where, `ConfigMap ${from.configMapRef.name} is not in the manifests`);
      }
    }
  }
  const labels = doc.spec.template.metadata.labels;
  const selects = (selector) => selector && Object.entries(selector).every(([k, v]) => labels[k] === v);
  if (!all.some((d) => d.kind === "PodDisruptionBudget" && selects(d.spec.selector?.matchLabels))) problem(name, "no PodDisruptionBudget");
  if (doc.kind === "StatefulSet") {
    if (!(doc.spec.volumeClaimTemplates ?? []).length) problem(name, "a StatefulSet without persistent volumes for its state");
    const governing = all.find((d) => d.kind === "Service" && d.metadata.name === doc.spec.serviceName);
    if (!governing || governing.spec.clusterIP !== "None") problem(name, `its serviceName ${doc.spec.serviceName} is not a headless Service`);
  }
}

for (const file of process.argv.slice(2)) {
  const docs = parseAllDocuments(readFileSync(file, "utf8")).map((d) => {
    if (d.errors.length) problem(file, d.errors.map((e) => e.message).join("; "));
    return d.toJS();
  }).filter(Boolean);
  for (const doc of docs) {
    const name = `${file} ${doc.kind}/${doc.metadata?.name}`;
    const Model = await modelOf(doc.apiVersion, doc.kind);
    if (!Model) {
      problem(name, `no schema for ${doc.apiVersion} ${doc.kind}`);
      continue;
    }
    try {
      new Model(doc).validate();
    } catch (e) {
      problem(name, e.message);
    }
    if (doc.kind === "Deployment" || doc.kind === "StatefulSet") checkWorkload(name, doc, docs);
    // the console's development sign-in lets anyone be anyone: a development overlay's only
    const devSignIn = (doc.spec?.template?.spec?.containers ?? []).some((c) => (c.env ?? [])
      .some((e) => e.name === "STREAMLEDGER_CONSOLE_DEV_SIGN_IN_KEY"));
    if (devSignIn && !/(^|\/)dev\.yaml$/.test(file)) problem(name, "the console's development sign-in outside the dev overlay");
    if (doc.kind === "Service" && doc.spec.selector
        && !docs.some((d) => ["Deployment", "StatefulSet"].includes(d.kind)
          && Object.entries(doc.spec.selector).every(([k, v]) => d.spec.template.metadata.labels[k] === v))) {
      problem(name, "selects no workload");
    }
    if (doc.kind === "Ingress") {
      for (const rule of doc.spec.rules) {
        for (const path of rule.http.paths) {
          const service = path.backend.service.name;
          if (!docs.some((d) => d.kind === "Service" && d.metadata.name === service)) problem(name, `routes ${rule.host}${path.path} to ${service}, which is not a Service here`);
        }
      }
    }
    if (doc.kind === "KafkaTopic" && (doc.spec.replicas < 3 || doc.spec.config?.["min.insync.replicas"] !== "2")) {
      problem(name, "fewer than 3 replicas or min.insync.replicas is not 2");
    }
    if (doc.kind === "Kafka" && doc.spec.kafka.config?.["min.insync.replicas"] !== 2) problem(name, "min.insync.replicas is not 2");
    if (doc.kind === "KafkaConnect") {
      // the projector writes in transactions, and its seals cover the raw bytes
      if (doc.spec.config?.["consumer.isolation.level"] !== "read_committed") problem(name, "consumer.isolation.level is not read_committed: its sinks would see aborted records");
      for (const c of ["key.converter", "value.converter", "header.converter"]) {
        if (doc.spec.config?.[c] !== "org.apache.kafka.connect.converters.ByteArrayConverter") problem(name, `${c} is not ByteArrayConverter`);
      }
    }
  }
  const kinds = docs.reduce((m, d) => m.set(d.kind, (m.get(d.kind) ?? 0) + 1), new Map());
  console.log(`${file}: ${docs.length} resources checked (${[...kinds].map(([k, n]) => `${n} ${k}`).join(", ")})`);
}
if (problems.length) {
  console.error(problems.join("\n"));
  console.error(`${problems.length} problem(s)`);
  process.exit(1);
}
console.log("manifests valid");
