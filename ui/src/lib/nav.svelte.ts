// Which area of the app is showing. Only areas that work are listed.
export type Area = 'profile' | 'people' | 'criteria';

export const areas: { id: Area; label: string }[] = [
  { id: 'profile', label: 'Organization' },
  { id: 'people', label: 'People' },
  { id: 'criteria', label: 'Criteria' },
];

export const nav = $state<{ area: Area }>({ area: 'profile' });
