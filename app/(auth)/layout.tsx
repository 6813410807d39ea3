import { Card } from "@/components/ui/card";

export default function AuthLayout({ children }: { children: React.ReactNode }) {
  return (
    <main className="flex min-h-screen items-center justify-center px-4">
      <div className="w-full max-w-sm space-y-6">
        <div className="text-center">
          <p className="text-2xl font-bold tracking-tight">⚓ Deckhand</p>
          <p className="text-sm text-slate-500">Deploy, roll back and watch your apps</p>
        </div>
        <Card padding="lg">{children}</Card>
      </div>
    </main>
  );
}
