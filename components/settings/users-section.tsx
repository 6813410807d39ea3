import type { UserListRow } from "@/lib/queries/users";
import { Section } from "../ui/section";
import { TableShell, type ColumnHeader } from "../ui/table";
import type { Action } from "../use-server-action";
import { CreateUserForm, TwoFactorPolicyForm } from "./settings-forms";
import { UserRow, type UserRowActions } from "./user-row";

const COLUMNS: ColumnHeader[] = [{ header: "Email" }, { header: "Role" }, { header: "Password" }, { header: "Sign-in" }, { header: "Access" }];

type UserActions = UserRowActions & { create: Action; setTwoFactorPolicy: Action };

/**
 * Everyone who can sign in, their role, second factor, sign-in lock and access; an admin cannot demote or
 * disable themself, and the server refuses to leave no enabled admin.
 */
export function UsersSection({ users, selfId, twoFactorPolicy, actions }: { users: UserListRow[]; selfId: string; twoFactorPolicy: string; actions: UserActions }) {
  const { create, setTwoFactorPolicy, ...rowActions } = actions;
  return (
    <Section title="Users" size="lg" className="mb-10">
      <TableShell columns={COLUMNS} className="mb-6">
        {users.map((u) => (
          <UserRow key={u.id} user={u} isSelf={u.id === selfId} actions={rowActions} />
        ))}
      </TableShell>
      <CreateUserForm action={create} />
      <div className="mt-8 border-t border-slate-100 pt-6">
        <TwoFactorPolicyForm policy={twoFactorPolicy} action={setTwoFactorPolicy} />
      </div>
    </Section>
  );
}
