// Agents & enrolment: enrolment tokens (operators and admins), agents waiting for approval, every agent.
import { Show } from 'solid-js';
import { can } from '../../api/session';
import { PageHeader } from '../../components/Feedback';
import { t } from '../../i18n';
import { AgentLists } from './AgentLists';
import { EnrolmentTokens } from './Tokens';
import './agents.css';

export default function Agents() {
  return (
    <div class="agents-page">
      <PageHeader title={t('enrolment.title')} />
      <div class="stack">
        <Show when={can('enrollment:write')}>
          <EnrolmentTokens />
        </Show>
        <AgentLists />
      </div>
    </div>
  );
}
