package dev.vigil.net.kafka;

/**
 * Kafka API keys: names (as Kafka's {@code ApiKeys} prints them) and the first version of each whose
 * messages are "flexible" (KIP-482: compact strings and arrays, tagged fields; request header v2),
 * from the message definitions in Kafka's {@code clients/src/main/resources/common/message}.
 */
final class KafkaApis {

    static final int PRODUCE = 0;
    static final int FETCH = 1;
    static final int METADATA = 3;
    static final int API_VERSIONS = 18;

    /** Versions above this are not believed to exist (the largest in Kafka 4.x is below 20). */
    static final int MAX_VERSION = 20;

    private static final int NEVER = Integer.MAX_VALUE;

    private static final String[] NAMES = {"Produce", "Fetch", "ListOffsets", "Metadata", "LeaderAndIsr", "StopReplica",
            "UpdateMetadata", "ControlledShutdown", "OffsetCommit", "OffsetFetch", "FindCoordinator", "JoinGroup",
            "Heartbeat", "LeaveGroup", "SyncGroup", "DescribeGroups", "ListGroups", "SaslHandshake", "ApiVersions",
            "CreateTopics", "DeleteTopics", "DeleteRecords", "InitProducerId", "OffsetForLeaderEpoch",
            "AddPartitionsToTxn", "AddOffsetsToTxn", "EndTxn", "WriteTxnMarkers", "TxnOffsetCommit", "DescribeAcls",
            "CreateAcls", "DeleteAcls", "DescribeConfigs", "AlterConfigs", "AlterReplicaLogDirs", "DescribeLogDirs",
            "SaslAuthenticate", "CreatePartitions", "CreateDelegationToken", "RenewDelegationToken",
            "ExpireDelegationToken", "DescribeDelegationToken", "DeleteGroups", "ElectLeaders",
            "IncrementalAlterConfigs", "AlterPartitionReassignments", "ListPartitionReassignments", "OffsetDelete",
            "DescribeClientQuotas", "AlterClientQuotas", "DescribeUserScramCredentials", "AlterUserScramCredentials",
            "Vote", "BeginQuorumEpoch", "EndQuorumEpoch", "DescribeQuorum", "AlterPartition", "UpdateFeatures",
            "Envelope", "FetchSnapshot", "DescribeCluster", "DescribeProducers", "BrokerRegistration",
            "BrokerHeartbeat", "UnregisterBroker", "DescribeTransactions", "ListTransactions", "AllocateProducerIds",
            "ConsumerGroupHeartbeat", "ConsumerGroupDescribe", "ControllerRegistration", "GetTelemetrySubscriptions",
            "PushTelemetry", "AssignReplicasToDirs", "ListConfigResources", "DescribeTopicPartitions",
            "ShareGroupHeartbeat", "ShareGroupDescribe", "ShareFetch", "ShareAcknowledge", "AddRaftVoter",
            "RemoveRaftVoter", "UpdateRaftVoter", "InitializeShareGroupState", "ReadShareGroupState",
            "WriteShareGroupState", "DeleteShareGroupState", "ReadShareGroupStateSummary", "StreamsGroupHeartbeat",
            "StreamsGroupDescribe", "DescribeShareGroupOffsets", "AlterShareGroupOffsets", "DeleteShareGroupOffsets"};

    private static final int[] FLEXIBLE_FROM = {9, 12, 6, 9, 4, 2, 6, 3, 8, 6, 3, 6, 4, 4, 4, 5, 3, NEVER, 3, 5, 4, 2, 2,
            4, 3, 3, 3, 1, 3, 2, 2, 2, 4, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 1, 0, 0, NEVER, 1, 1, 0, 0, 0, 1, 1, 0, 0, 0,
            0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};

    private KafkaApis() {
    }

    /** True for API keys Kafka defines. */
    static boolean known(int apiKey) {
        return apiKey >= 0 && apiKey < NAMES.length;
    }

    static String name(int apiKey) {
        return known(apiKey) ? NAMES[apiKey] : "unknown-" + apiKey;
    }

    /** True when this request version uses flexible encoding (request header v2, tagged fields). */
    static boolean flexible(int apiKey, int version) {
        return known(apiKey) && version >= FLEXIBLE_FROM[apiKey];
    }

    static int count() {
        return NAMES.length;
    }
}
