import { Component, type ErrorInfo, type ReactNode } from 'react';

interface Props {
  /** What the boundary protects, as the user knows it ("the Clusters page"). */
  readonly label: string;
  /** Clears whatever failed (e.g. TanStack Query's error state) before rendering again. */
  readonly onReset: () => void;
  readonly children: ReactNode;
}

interface State {
  readonly error: Error | null;
}

/** Shows what failed and offers a retry instead of leaving a blank window. */
export class ErrorBoundary extends Component<Props, State> {
  override state: State = { error: null };

  static getDerivedStateFromError(error: unknown): State {
    return { error: error instanceof Error ? error : new Error(String(error)) };
  }

  override componentDidCatch(error: Error, info: ErrorInfo): void {
    console.error(`Samsa: ${this.props.label} failed`, error, info.componentStack);
  }

  readonly retry = (): void => {
    this.props.onReset();
    this.setState({ error: null });
  };

  override render(): ReactNode {
    const { error } = this.state;
    if (error === null) return this.props.children;
    return (
      <section className="panel error-panel" role="alert" aria-labelledby="error-title">
        <h2 id="error-title">Could not show {this.props.label}</h2>
        <p className="error-message">{error.message}</p>
        <button type="button" className="button button-primary" onClick={this.retry}>
          Retry
        </button>
      </section>
    );
  }
}
