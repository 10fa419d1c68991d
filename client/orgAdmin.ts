/**
 * Calls for the objects that administer an organization: roles, policies, users and the global
 * error subscribers. Roles, policies and users are plain collections (list, get, create, full-
 * replacement update, delete), so one factory makes their calls.
 */
import { z } from "zod";
import { envelope, listEnvelope, notifications, permissions, users } from "../contract";
import type { Requester } from "./http";

const Anything = z.unknown();
const enc = encodeURIComponent;

export interface CreateOptions {
  idempotencyKey?: string;
}

/** A collection at `path` of objects shaped `item`, written with bodies of type `Body`. */
function collection<Item extends z.ZodType, Body extends { name?: string; email?: string }>(
  request: Requester,
  spec: { path: string; /** What one object is called in messages ("role"). */ noun: string; item: Item },
) {
  type Out = z.output<Item>;
  // Typed loosely here (zod cannot see through the generic envelope); the casts below give the item type back.
  const one = envelope(spec.item) as unknown as z.ZodType<{ data: unknown }>;
  const many = listEnvelope(spec.item) as unknown as z.ZodType<{ data: unknown[] }>;
  const at = (id: string) => `${spec.path}/${enc(id)}`;
  return {
    list: async (): Promise<Out[]> => (await request({ method: "GET", path: spec.path, operation: `list ${spec.noun}s`, schema: many })).data as Out[],
    get: async (id: string): Promise<Out> => (await request({ method: "GET", path: at(id), operation: `get ${spec.noun} ${id}`, schema: one })).data as Out,
    create: async (body: Body, opts: CreateOptions = {}): Promise<Out> => {
      const operation = `create ${spec.noun} "${body.name ?? body.email}"`;
      return (await request({ method: "POST", path: spec.path, operation, schema: one, body, idempotencyKey: opts.idempotencyKey })).data as Out;
    },
    update: async (id: string, body: Body): Promise<Out> =>
      (await request({ method: "PUT", path: at(id), operation: `update ${spec.noun} ${id}`, schema: one, body })).data as Out,
    delete: async (id: string): Promise<void> => {
      await request({ method: "DELETE", path: at(id), operation: `delete ${spec.noun} ${id}`, schema: Anything });
    },
  };
}

/** The organization-administration calls of one client. */
export function orgAdminCalls(request: Requester) {
  return {
    roles: collection<typeof permissions.Role, permissions.CreateRoleRequest>(request, { path: "/api/permissions/roles", noun: "role", item: permissions.Role }),
    policies: collection<typeof permissions.Policy, permissions.CreatePolicyRequest>(request, {
      path: "/api/permissions/policies",
      noun: "policy",
      item: permissions.Policy,
    }),
    /** Partner keys only: the users of organization `organizationId`. */
    users: (organizationId: string) =>
      collection<typeof users.User, users.CreateUserRequest>(request, { path: `/api/organizations/${enc(organizationId)}/users`, noun: "user", item: users.User }),
    /** The organization's one list of emails told of errors; a PUT replaces it whole. */
    globalErrorSubscribers: {
      get: () =>
        request({
          method: "GET",
          path: "/api/notifications/global-error-subscribers",
          operation: "get global error subscribers",
          schema: notifications.GlobalErrorSubscribers,
        }),
      set: (emails: string[]) =>
        request({
          method: "PUT",
          path: "/api/notifications/global-error-subscribers",
          operation: "set global error subscribers",
          schema: notifications.GlobalErrorSubscribers,
          body: { emails } satisfies notifications.GlobalErrorSubscribersRequest,
        }),
    },
  };
}
