/**
 * An organization's administration as code: a role for the data team, the policy that grants it
 * its actions (the built-in Admin role shares one of them), and who hears of sync errors.
 */
import * as pulumi from "@pulumi/pulumi";
import { getCallerIdentityOutput, getRoleOutput, GlobalErrorSubscribers, Policy, Role } from "polytomic-pulumi";

const config = new pulumi.Config();

// Lookups: the organization the API key acts in, and its built-in Admin role.
const me = getCallerIdentityOutput();
const admin = getRoleOutput({ name: "Admin" });

const editors = new Role("editors", { name: config.get("roleName") ?? "Data editors" });

const editing = new Policy("editing", {
  name: config.get("policyName") ?? "Data editing",
  policyActions: [
    { action: "create", roleIds: [editors.id] },
    { action: "delete", roleIds: [editors.id, admin.id] },
  ],
});

const errors = new GlobalErrorSubscribers("errors", { emails: config.requireObject<string[]>("errorEmails") });

export const organizationId = me.organizationId;
export const roleId = editors.id;
export const adminRoleId = admin.id;
export const policyId = editing.id;
export const errorEmails = errors.emails;
