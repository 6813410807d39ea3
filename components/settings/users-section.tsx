import type { UserListRow } from "@/lib/queries/users";
import { Section } from "../ui/section";
import { TableShell, type ColumnHeader } from "../ui/table";
import type { Action } from "../use-server-action";
import { CreateUserForm, UserRow } from "./settings-forms";

const COLUMNS: ColumnHeader[] = [{ header: "Email" }, { header: "Role" }, { header: "Password" }, { header: "Access" }];

type UserActions = { create: Action; setRole: Action; setDisabled: Action; setPassword: Action };

/** Everyone who can sign in, their role and access; an admin cannot demote or disable themself. */
export function UsersSection({ users, selfId, actions }: { users: UserListRow[]; selfId: string; actions: UserActions }) {
  return (
    <Section title="Users" size="lg" className="mb-10">
      <TableShell columns={COLUMNS} className="mb-6">
        {users.map((u) => (
          <UserRow key={u.id} user={u} isSelf={u.id === selfId} setRole={actions.setRole} setDisabled={actions.setDisabled} setPassword={actions.setPassword} />
        ))}
      </TableShell>
      <CreateUserForm action={actions.create} />
    </Section>
  );
}
