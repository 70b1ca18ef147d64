package dev.vigil.lab;

import dev.vigil.lab.image.BuiltImage;
import dev.vigil.lab.topology.AddressPlan;
import dev.vigil.lab.topology.Topology;
import dev.vigil.lab.topology.Topology.PodDef;
import dev.vigil.lab.topology.Topology.ServiceDef;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPortBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import io.fabric8.kubernetes.api.model.rbac.SubjectBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Registers the running lab in its API server: namespaces, the node, service accounts, secrets,
 * RBAC (including deliberately risky grants for audits to find), Deployments → ReplicaSets → Pods
 * and a StatefulSet with correct owner references, Services with EndpointSlices — with the real
 * pod IPs, container ids and image digests.
 */
final class ClusterObjects {

    /** A started pod, as the API must describe it. */
    record Started(PodDef def, String name, String uid, String templateHash, Instant startedAt,
                   List<LabStatus.Container> containers) {
    }

    private final KubernetesClient client;
    private final Topology topology;
    private final Map<String, BuiltImage> images;
    private final String caCert;
    private final Map<String, String> serviceAccountUids;

    ClusterObjects(KubernetesClient client, Topology topology, Map<String, BuiltImage> images, String caCert,
                   Map<String, String> serviceAccountUids) {
        this.client = client;
        this.topology = topology;
        this.images = images;
        this.caCert = caCert;
        this.serviceAccountUids = serviceAccountUids;
    }

    /** The service accounts the topology needs: {@code default} everywhere plus those pods name. */
    static List<String[]> serviceAccounts(Topology topology) {
        List<String[]> out = new ArrayList<>();
        for (String ns : topology.namespaces()) {
            out.add(new String[] {ns, "default"});
        }
        for (PodDef p : topology.pods()) {
            if (!p.serviceAccount().equals("default")) {
                out.add(new String[] {p.namespace(), p.serviceAccount()});
            }
        }
        return out;
    }

    void createAll(List<Started> pods, String kernel, String osImage) {
        for (String ns : topology.namespaces()) {
            create(new NamespaceBuilder().withNewMetadata().withName(ns)
                    .addToLabels("kubernetes.io/metadata.name", ns)
                    .addToLabels(topology.namespaceLabels().getOrDefault(ns, Map.of())).endMetadata()
                    .withNewStatus().withPhase("Active").endStatus().build());
            create(new ConfigMapBuilder().withNewMetadata().withName("kube-root-ca.crt").withNamespace(ns).endMetadata()
                    .addToData("ca.crt", caCert).build());
        }
        node(kernel, osImage);
        for (String[] sa : serviceAccounts(topology)) {
            create(new ServiceAccountBuilder().withNewMetadata().withName(sa[1]).withNamespace(sa[0])
                    .withUid(serviceAccountUids.get(sa[0] + "/" + sa[1])).endMetadata().build());
        }
        for (Topology.SecretDef s : topology.secrets()) {
            Map<String, String> data = new TreeMap<>();
            s.data().forEach((k, v) -> data.put(k, Base64.getEncoder().encodeToString(v.getBytes(StandardCharsets.UTF_8))));
            create(new SecretBuilder().withNewMetadata().withName(s.name()).withNamespace(s.namespace()).endMetadata()
                    .withType("Opaque").withData(data).build());
        }
        rbac();
        for (Started p : pods) {
            workload(p);
        }
        kubernetesService();
        for (ServiceDef s : topology.services()) {
            Started backend = pods.stream().filter(p -> p.def().namespace().equals(s.namespace())
                    && p.def().workload().equals(s.workload())).findFirst().orElseThrow();
            service(s, backend);
        }
    }

    private void node(String kernel, String osImage) {
        create(new NodeBuilder().withNewMetadata().withName(AddressPlan.NODE_NAME)
                .addToLabels("kubernetes.io/hostname", AddressPlan.NODE_NAME)
                .addToLabels("kubernetes.io/os", "linux")
                .addToLabels("kubernetes.io/arch", "amd64")
                .addToLabels("node-role.kubernetes.io/control-plane", "")
                .endMetadata()
                .withNewSpec().withPodCIDR(AddressPlan.POD_CIDR).withPodCIDRs(AddressPlan.POD_CIDR).endSpec()
                .withNewStatus()
                .addNewAddress().withType("InternalIP").withAddress(AddressPlan.NODE_IP).endAddress()
                .addNewAddress().withType("Hostname").withAddress(AddressPlan.NODE_NAME).endAddress()
                .addNewCondition().withType("Ready").withStatus("True").withReason("KubeletReady")
                .withMessage("kubelet is posting ready status").endCondition()
                .withNewNodeInfo().withArchitecture("amd64").withOperatingSystem("linux").withKernelVersion(kernel)
                .withOsImage(osImage).withContainerRuntimeVersion("containerd://vigil-lab (runc)")
                .withKubeletVersion("v1.32.0-vigil-lab").withKubeProxyVersion("v1.32.0-vigil-lab")
                .withMachineID("").withSystemUUID("").withBootID("").endNodeInfo()
                .endStatus().build());
    }

    private void rbac() {
        create(new ClusterRoleBuilder().withNewMetadata().withName("cluster-admin").endMetadata()
                .addToRules(new PolicyRuleBuilder().withApiGroups("*").withResources("*").withVerbs("*").build())
                .addToRules(new PolicyRuleBuilder().withNonResourceURLs("*").withVerbs("*").build()).build());
        create(new ClusterRoleBuilder().withNewMetadata().withName("view").endMetadata()
                .addToRules(new PolicyRuleBuilder().withApiGroups("", "apps", "discovery.k8s.io")
                        .withResources("pods", "services", "endpoints", "endpointslices", "deployments", "replicasets",
                                "statefulsets", "configmaps", "serviceaccounts")
                        .withVerbs("get", "list", "watch").build()).build());
        create(new ClusterRoleBuilder().withNewMetadata().withName("system:coredns").endMetadata()
                .addToRules(new PolicyRuleBuilder().withApiGroups("").withResources("endpoints", "services", "pods", "namespaces")
                        .withVerbs("list", "watch").build())
                .addToRules(new PolicyRuleBuilder().withApiGroups("discovery.k8s.io").withResources("endpointslices")
                        .withVerbs("list", "watch").build()).build());
        clusterBinding("cluster-admin", "cluster-admin", "Group", "system:masters", null);
        clusterBinding("system:coredns", "system:coredns", "ServiceAccount", "coredns", "kube-system");
        // Deliberately risky, as real clusters often are: a load generator with cluster-admin.
        clusterBinding("loadgen-cluster-admin", "cluster-admin", "ServiceAccount", "loadgen", "loadgen");
        // The api can read every secret of its namespace (it only needs one).
        create(new RoleBuilder().withNewMetadata().withName("secret-reader").withNamespace("shop-api").endMetadata()
                .addToRules(new PolicyRuleBuilder().withApiGroups("").withResources("secrets")
                        .withVerbs("get", "list", "watch").build()).build());
        create(new RoleBindingBuilder().withNewMetadata().withName("api-secret-reader").withNamespace("shop-api").endMetadata()
                .withNewRoleRef().withApiGroup("rbac.authorization.k8s.io").withKind("Role").withName("secret-reader").endRoleRef()
                .addToSubjects(new SubjectBuilder().withKind("ServiceAccount").withName("api").withNamespace("shop-api").build())
                .build());
        create(new RoleBuilder().withNewMetadata().withName("pod-reader").withNamespace("loadgen").endMetadata()
                .addToRules(new PolicyRuleBuilder().withApiGroups("").withResources("pods").withVerbs("get", "list").build())
                .build());
        create(new RoleBindingBuilder().withNewMetadata().withName("loadgen-pod-reader").withNamespace("loadgen").endMetadata()
                .withNewRoleRef().withApiGroup("rbac.authorization.k8s.io").withKind("Role").withName("pod-reader").endRoleRef()
                .addToSubjects(new SubjectBuilder().withKind("ServiceAccount").withName("loadgen").withNamespace("loadgen").build())
                .build());
        create(new RoleBindingBuilder().withNewMetadata().withName("frontend-view").withNamespace("shop-web").endMetadata()
                .withNewRoleRef().withApiGroup("rbac.authorization.k8s.io").withKind("ClusterRole").withName("view").endRoleRef()
                .addToSubjects(new SubjectBuilder().withKind("ServiceAccount").withName("default").withNamespace("shop-web").build())
                .build());
    }

    private void clusterBinding(String name, String role, String kind, String subject, String namespace) {
        SubjectBuilder s = new SubjectBuilder().withKind(kind).withName(subject);
        if (namespace != null) {
            s.withNamespace(namespace);
        } else {
            s.withApiGroup("rbac.authorization.k8s.io");
        }
        create(new ClusterRoleBindingBuilder().withNewMetadata().withName(name).endMetadata()
                .withNewRoleRef().withApiGroup("rbac.authorization.k8s.io").withKind("ClusterRole").withName(role).endRoleRef()
                .addToSubjects(s.build()).build());
    }

    private void workload(Started p) {
        PodDef def = p.def();
        Map<String, String> selector = new TreeMap<>(def.labels());
        String ns = def.namespace();
        OwnerReference podOwner;
        if (def.kind() == Topology.WorkloadKind.DEPLOYMENT) {
            Map<String, String> podLabels = new TreeMap<>(def.labels());
            podLabels.put("pod-template-hash", p.templateHash());
            var deployment = create(new DeploymentBuilder().withNewMetadata().withName(def.workload()).withNamespace(ns)
                    .withLabels(def.labels()).withUid(uid("deployment", ns, def.workload())).endMetadata()
                    .withNewSpec().withReplicas(1).withSelector(new LabelSelectorBuilder().withMatchLabels(selector).build())
                    .withTemplate(template(def, def.labels())).endSpec()
                    .withNewStatus().withReplicas(1).withReadyReplicas(1).withAvailableReplicas(1).withUpdatedReplicas(1)
                    .withObservedGeneration(1L).endStatus().build());
            Map<String, String> rsSelector = new TreeMap<>(selector);
            rsSelector.put("pod-template-hash", p.templateHash());
            String rsName = def.workload() + "-" + p.templateHash();
            var rs = create(new ReplicaSetBuilder().withNewMetadata().withName(rsName).withNamespace(ns).withLabels(podLabels)
                    .withUid(uid("replicaset", ns, rsName)).withOwnerReferences(owner(deployment)).endMetadata()
                    .withNewSpec().withReplicas(1).withSelector(new LabelSelectorBuilder().withMatchLabels(rsSelector).build())
                    .withTemplate(template(def, podLabels)).endSpec()
                    .withNewStatus().withReplicas(1).withReadyReplicas(1).withAvailableReplicas(1).withFullyLabeledReplicas(1)
                    .endStatus().build());
            podOwner = owner(rs);
            pod(p, podLabels, podOwner);
        } else {
            Map<String, String> podLabels = new TreeMap<>(def.labels());
            podLabels.put("statefulset.kubernetes.io/pod-name", p.name());
            podLabels.put("apps.kubernetes.io/pod-index", "0");
            var sts = create(new StatefulSetBuilder().withNewMetadata().withName(def.workload()).withNamespace(ns)
                    .withLabels(def.labels()).withUid(uid("statefulset", ns, def.workload())).endMetadata()
                    .withNewSpec().withReplicas(1).withServiceName(def.workload())
                    .withSelector(new LabelSelectorBuilder().withMatchLabels(selector).build())
                    .withTemplate(template(def, def.labels())).endSpec()
                    .withNewStatus().withReplicas(1).withReadyReplicas(1).withAvailableReplicas(1).withCurrentReplicas(1)
                    .endStatus().build());
            podOwner = owner(sts);
            pod(p, podLabels, podOwner);
        }
    }

    private void pod(Started p, Map<String, String> labels, OwnerReference owner) {
        PodDef def = p.def();
        String started = p.startedAt().toString();
        var status = new io.fabric8.kubernetes.api.model.PodStatusBuilder()
                .withPhase("Running").withHostIP(AddressPlan.NODE_IP).addNewHostIP(AddressPlan.NODE_IP)
                .withPodIP(def.ip()).addNewPodIP(def.ip()).withStartTime(started).withQosClass("BestEffort");
        for (String type : List.of("PodReadyToStartContainers", "Initialized", "Ready", "ContainersReady", "PodScheduled")) {
            status.addToConditions(new PodConditionBuilder().withType(type).withStatus("True")
                    .withLastTransitionTime(started).build());
        }
        for (LabStatus.Container c : p.containers()) {
            BuiltImage img = images.get(c.image());
            status.addToContainerStatuses(new ContainerStatusBuilder().withName(c.name())
                    .withContainerID("containerd://" + c.id()).withImage(c.image()).withImageID(img.imageId())
                    .withReady(true).withStarted(true).withRestartCount(0)
                    .withNewState().withNewRunning().withStartedAt(started).endRunning().endState().build());
        }
        create(new PodBuilder().withNewMetadata().withName(p.name()).withNamespace(def.namespace()).withUid(p.uid())
                .withLabels(labels).withOwnerReferences(owner).endMetadata()
                .withSpec(podSpec(def, AddressPlan.NODE_NAME))
                .withStatus(status.build()).build());
    }

    private PodTemplateSpec template(PodDef def, Map<String, String> labels) {
        return new PodTemplateSpecBuilder().withNewMetadata().withLabels(labels).endMetadata()
                .withSpec(podSpec(def, null)).build();
    }

    private PodSpec podSpec(PodDef def, String nodeName) {
        String tokenVolume = "kube-api-access-" + def.workload().substring(0, Math.min(5, def.workload().length()));
        PodSpecBuilder spec = new PodSpecBuilder().withServiceAccountName(def.serviceAccount()).withNodeName(nodeName)
                .withRestartPolicy("Always").withDnsPolicy("ClusterFirst").withEnableServiceLinks(true)
                .withTerminationGracePeriodSeconds(30L).withSchedulerName("default-scheduler");
        spec.addToVolumes(new VolumeBuilder().withName(tokenVolume).withNewProjected().withDefaultMode(0644)
                .addNewSource().withNewServiceAccountToken().withPath("token").withExpirationSeconds(3607L).endServiceAccountToken().endSource()
                .addNewSource().withNewConfigMap().withName("kube-root-ca.crt").addNewItem().withKey("ca.crt").withPath("ca.crt").endItem()
                .endConfigMap().endSource()
                .addNewSource().withNewDownwardAPI().addNewItem().withPath("namespace").withNewFieldRef().withApiVersion("v1")
                .withFieldPath("metadata.namespace").endFieldRef().endItem().endDownwardAPI().endSource()
                .endProjected().build());
        Map<String, String> secretVolumes = new LinkedHashMap<>();
        for (Topology.ContainerDef c : def.containers()) {
            for (String secret : c.secretMounts().keySet()) {
                if (!secretVolumes.containsKey(secret)) {
                    secretVolumes.put(secret, secret);
                    spec.addToVolumes(new VolumeBuilder().withName(secret).withNewSecret().withSecretName(secret).endSecret().build());
                }
            }
        }
        for (Topology.ContainerDef c : def.containers()) {
            for (String volume : c.memoryVolumes().keySet()) {
                spec.addToVolumes(new VolumeBuilder().withName(volume).withNewEmptyDir().withMedium("Memory").endEmptyDir().build());
            }
        }
        for (Topology.ContainerDef c : def.containers()) {
            ContainerBuilder cb = new ContainerBuilder().withName(c.name()).withImage(c.image()).withImagePullPolicy("IfNotPresent")
                    .withTerminationMessagePath("/dev/termination-log").withTerminationMessagePolicy("File");
            if (!c.command().isEmpty()) {
                cb.withCommand(c.command());
            }
            for (Topology.Port port : c.ports()) {
                cb.addNewPort().withName(port.name()).withContainerPort(port.port()).withProtocol(port.protocol()).endPort();
            }
            cb.addToVolumeMounts(new VolumeMountBuilder().withName(tokenVolume)
                    .withMountPath("/var/run/secrets/kubernetes.io/serviceaccount").withReadOnly(true).build());
            c.secretMounts().forEach((secret, path) -> cb.addToVolumeMounts(
                    new VolumeMountBuilder().withName(secret).withMountPath(path).withReadOnly(true).build()));
            c.memoryVolumes().forEach((volume, path) -> cb.addToVolumeMounts(
                    new VolumeMountBuilder().withName(volume).withMountPath(path).build()));
            spec.addToContainers(cb.build());
        }
        return spec.build();
    }

    private void kubernetesService() {
        create(new ServiceBuilder().withNewMetadata().withName("kubernetes").withNamespace("default")
                .addToLabels("component", "apiserver").addToLabels("provider", "kubernetes").endMetadata()
                .withNewSpec().withType("ClusterIP").withClusterIP(AddressPlan.KUBERNETES_SERVICE_IP)
                .withClusterIPs(AddressPlan.KUBERNETES_SERVICE_IP)
                .addToPorts(new ServicePortBuilder().withName("https").withPort(AddressPlan.KUBERNETES_SERVICE_PORT)
                        .withProtocol("TCP").withNewTargetPort(AddressPlan.API_SERVER_PORT).build())
                .endSpec().build());
        create(new EndpointSliceBuilder().withNewMetadata().withName("kubernetes").withNamespace("default")
                .addToLabels("kubernetes.io/service-name", "kubernetes")
                .addToLabels("endpointslice.kubernetes.io/managed-by", "endpointslicemirroring-controller.k8s.io").endMetadata()
                .withAddressType("IPv4")
                .addToEndpoints(new EndpointBuilder().withAddresses(AddressPlan.NODE_IP).withNewConditions().withReady(true)
                        .endConditions().build())
                .addToPorts(new EndpointPortBuilder().withName("https").withPort(AddressPlan.API_SERVER_PORT).withProtocol("TCP").build())
                .build());
    }

    private void service(ServiceDef s, Started backend) {
        Map<String, String> selector = new TreeMap<>(backend.def().labels());
        ServiceBuilder sb = new ServiceBuilder().withNewMetadata().withName(s.name()).withNamespace(s.namespace())
                .withLabels(selector).withUid(uid("service", s.namespace(), s.name())).endMetadata()
                .withNewSpec().withType("ClusterIP").withClusterIP(s.clusterIp()).withClusterIPs(s.clusterIp())
                .withSelector(selector).endSpec();
        var eps = new EndpointSliceBuilder().withNewMetadata().withName(s.name() + "-" + backend.templateHash().substring(0, 5))
                .withNamespace(s.namespace()).addToLabels("kubernetes.io/service-name", s.name())
                .addToLabels("endpointslice.kubernetes.io/managed-by", "endpointslice-controller.k8s.io")
                .withOwnerReferences(new OwnerReferenceBuilder().withApiVersion("v1").withKind("Service").withName(s.name())
                        .withUid(uid("service", s.namespace(), s.name())).withController(true).withBlockOwnerDeletion(true).build())
                .endMetadata()
                .withAddressType("IPv4")
                .addToEndpoints(new EndpointBuilder().withAddresses(backend.def().ip()).withNodeName(AddressPlan.NODE_NAME)
                        .withNewConditions().withReady(true).withServing(true).withTerminating(false).endConditions()
                        .withNewTargetRef().withKind("Pod").withNamespace(s.namespace()).withName(backend.name())
                        .withUid(backend.uid()).endTargetRef().build());
        for (Topology.Port port : s.ports()) {
            sb.editSpec().addToPorts(new ServicePortBuilder().withName(port.name()).withPort(port.port())
                    .withProtocol(port.protocol()).withNewTargetPort(port.port()).build()).endSpec();
            eps.addToPorts(new EndpointPortBuilder().withName(port.name()).withPort(port.port()).withProtocol(port.protocol()).build());
        }
        create(sb.build());
        create(eps.build());
    }

    private static OwnerReference owner(HasMetadata o) {
        return new OwnerReferenceBuilder().withApiVersion(o.getApiVersion()).withKind(o.getKind())
                .withName(o.getMetadata().getName()).withUid(o.getMetadata().getUid())
                .withController(true).withBlockOwnerDeletion(true).build();
    }

    /** A stable UUID for an object of this lab (v3-style, from kind, namespace and name). */
    static String uid(String kind, String namespace, String name) {
        return java.util.UUID.nameUUIDFromBytes((kind + "/" + namespace + "/" + name).getBytes(StandardCharsets.UTF_8)).toString();
    }

    private <T extends HasMetadata> T create(T object) {
        return client.resource(object).create();
    }
}
