/** Handler per API key (versions are checked against `SUPPORTED` before dispatch). */
import type { Handler } from '../context.js';
import { ApiKey } from '../protocol.js';
import { apiVersions } from './api-versions.js';
import { createTopics } from './create-topics.js';
import { deleteTopics } from './delete-topics.js';
import { describeConfigs } from './describe-configs.js';
import { fetch } from './fetch.js';
import { findCoordinator } from './find-coordinator.js';
import { describeGroups, listGroups } from './groups-admin.js';
import { heartbeat } from './heartbeat.js';
import { initProducerId } from './init-producer-id.js';
import { joinGroup } from './join-group.js';
import { leaveGroup } from './leave-group.js';
import { listOffsets } from './list-offsets.js';
import { metadata } from './metadata.js';
import { offsetCommit } from './offset-commit.js';
import { offsetFetch } from './offset-fetch.js';
import { produce } from './produce.js';
import { syncGroup } from './sync-group.js';

export const HANDLERS: ReadonlyMap<number, Handler> = new Map<number, Handler>([
  [ApiKey.Produce, produce],
  [ApiKey.Fetch, fetch],
  [ApiKey.ListOffsets, listOffsets],
  [ApiKey.Metadata, metadata],
  [ApiKey.OffsetCommit, offsetCommit],
  [ApiKey.OffsetFetch, offsetFetch],
  [ApiKey.FindCoordinator, findCoordinator],
  [ApiKey.JoinGroup, joinGroup],
  [ApiKey.Heartbeat, heartbeat],
  [ApiKey.LeaveGroup, leaveGroup],
  [ApiKey.SyncGroup, syncGroup],
  [ApiKey.DescribeGroups, describeGroups],
  [ApiKey.ListGroups, listGroups],
  [ApiKey.ApiVersions, apiVersions],
  [ApiKey.CreateTopics, createTopics],
  [ApiKey.DeleteTopics, deleteTopics],
  [ApiKey.InitProducerId, initProducerId],
  [ApiKey.DescribeConfigs, describeConfigs],
]);
